"""The browser journeys' English-string check (tests/browser/admin_text.py), without a browser."""

from tests.browser.admin_text import AdminLanguageCheck, english_words


def words(*texts, typed=()):
    return [word for word, _context in english_words([(text, "") for text in texts], typed)]


def test_it_finds_english_left_in_a_russian_or_chinese_sentence():
    assert words("Отправить в Moderators approval") == ["Moderators", "approval"]
    assert words("5 Pages created in 上海合作组织") == ["Pages", "created", "in"]
    assert words("Actions") == ["Actions"]  # a lone attribute value


def test_codes_names_and_what_the_editor_typed_are_not_english_strings():
    assert words("Бюджет: 850 000 USD · ZH-HANS · 6 декабря 2026 г. 14:05 UTC") == []
    assert words("Заголовок: Wetland restoration", typed=["Wetland restoration"]) == []
    assert words("Запустите (команда: manage.py run_scheduler)") == []


def test_the_context_says_where_the_word_was():
    [(word, context)] = english_words([("Search", "<input value>")])
    assert word == "Search" and context.startswith("<input value>")


def test_the_english_admin_is_not_checked_and_the_report_names_each_screen():
    assert not AdminLanguageCheck("en").applies
    check = AdminLanguageCheck("ru")
    check.found = {"dashboard": [("Actions", "<nav aria-label> Actions")]}
    try:
        check.assert_clean()
    except AssertionError as error:
        assert "dashboard: 'Actions'" in str(error)
    else:
        raise AssertionError("a screen with English passed")
