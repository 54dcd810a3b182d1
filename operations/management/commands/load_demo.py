"""manage.py load_demo: a realistic trilingual site from the founding document.

Each content app keeps its own demo items (``<app>/demo.py``); this command
runs them in dependency order (projects link to policies and trainings).
Idempotent: items are keyed by external_id, so running it again updates them.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from news import demo as news_demo
from policies import demo as policies_demo
from portal import languages
from projects import demo as projects_demo
from website.models import HomePage

# Policies first: projects and news link to them.
DEMO_MODULES = [("policies", policies_demo), ("news", news_demo), ("projects", projects_demo)]

HOME_INTRO = {
    "zh-hans": (
        "上海合作组织环境信息共享平台汇集成员国、观察员国和对话伙伴之间的环境合作知识："
        "合作项目、培训项目（如绿色丝路使者计划）和各国环境政策文件，以中文、英文和俄文发布。"
    ),
    "en": (
        "The SCO environmental information sharing platform gathers what the member states, observers "
        "and dialogue partners know about their environmental cooperation: cooperation projects, "
        "training programmes such as the Green Silk Road Envoys Programme, and environmental policy "
        "documents, published in Chinese, English and Russian."
    ),
    "ru": (
        "Платформа обмена экологической информацией ШОС объединяет знания о природоохранном "
        "сотрудничестве государств-членов, наблюдателей и партнёров по диалогу: проекты сотрудничества, "
        "учебные программы, такие как программа «Зелёный Шёлковый путь: посланники», и документы "
        "экологической политики — на китайском, английском и русском языках."
    ),
}


class Command(BaseCommand):
    help = "Load the demo content (idempotent)."

    def handle(self, *args, **options):
        call_command("setup_portal", verbosity=0)
        home = HomePage.objects.get()
        with transaction.atomic():
            for code, text in HOME_INTRO.items():
                setattr(home, languages.localized_field("intro", code), text)
            home.save_revision().publish()
            for name, module in DEMO_MODULES:
                self.stdout.write(f"Loading demo {name}…")
                module.load(home, self.stdout)
        call_command("set_translation_url_paths", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
