"""Editor groups and their permissions per content section.

* **National editors** (editors in the member states) may add and edit pages
  in every section and submit them for moderation; they cannot publish.
* **Secretariat** may add, edit, publish, unpublish, lock and delete, and is the
  reviewer in the moderation workflow.

Both may use the admin and upload documents and images. Page permissions are
granted on each section's index page (every page whose class derives from
``portal.core.listing.IndexPage``): when one is created, and on every
``migrate`` for those that exist (``manage.py setup_editor_groups`` does the
same by hand). Idempotent; editors can widen or narrow them in the admin.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

NATIONAL_EDITORS = "National editors"
SECRETARIAT = "Secretariat"

PAGE_PERMISSIONS = {
    NATIONAL_EDITORS: ["add_page", "change_page"],
    SECRETARIAT: ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    NATIONAL_EDITORS: [
        ("wagtaildocs", "document", ["add", "change", "choose"]),
        ("wagtailimages", "image", ["add", "change", "choose"]),
    ],
    SECRETARIAT: [
        ("wagtaildocs", "document", ["add", "change", "delete", "choose"]),
        ("wagtailimages", "image", ["add", "change", "delete", "choose"]),
    ],
}
MODEL_PERMISSIONS = {
    NATIONAL_EDITORS: [("wagtailadmin", "access_admin")],
    SECRETARIAT: [("wagtailadmin", "access_admin")],
}


def _permission(app_label, codename):
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def section_pages():
    """Every section index page (any model deriving from IndexPage)."""
    from wagtail.models import Page

    from portal.core.listing import IndexPage

    models = [m for m in apps.get_models() if issubclass(m, IndexPage)]
    pages = Page.objects.type(*models) if models else Page.objects.none()
    # Ids only: right after migrate the translated columns may not exist yet.
    return pages.values_list("pk", flat=True)


def grant_section(page_id, groups=None):
    from wagtail.models import GroupPagePermission

    groups = groups or ensure_groups()
    for name, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            permission = _permission("wagtailcore", codename)
            if permission is not None:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name], page_id=page_id, permission=permission
                )


@transaction.atomic
def ensure_groups():
    """Create the groups with their admin, document and image permissions; return them by name."""
    from wagtail.models import Collection, GroupApprovalTask, GroupCollectionPermission

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in PAGE_PERMISSIONS}
    for name, wanted in MODEL_PERMISSIONS.items():
        for app_label, codename in wanted:
            permission = _permission(app_label, codename)
            if permission is not None:
                groups[name].permissions.add(permission)
    root = Collection.get_first_root_node()
    if root is not None:
        for name, wanted in COLLECTION_PERMISSIONS.items():
            for app_label, model, actions in wanted:
                for action in actions:
                    permission = _permission(app_label, f"{action}_{model}")
                    if permission is not None:
                        GroupCollectionPermission.objects.get_or_create(
                            group=groups[name], collection=root, permission=permission
                        )
    # The secretariat reviews what national editors submit.
    for task in GroupApprovalTask.objects.filter(active=True):
        task.groups.add(groups[SECRETARIAT])
    return groups


def ensure_all():
    groups = ensure_groups()
    for page_id in section_pages():
        grant_section(page_id, groups)
    return groups


def on_post_migrate(sender, using="default", **kwargs):
    ensure_all()


def on_page_saved(sender, instance, created=False, raw=False, **kwargs):
    if not created or raw:
        return
    from portal.core.listing import IndexPage

    if isinstance(instance, IndexPage):
        grant_section(instance.pk)
