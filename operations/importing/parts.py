"""The parts of an imported page beyond its own fields: people, places, files and links.

A record may carry, besides the page's columns (``IMPORT_FIELDS``)::

    "organisations": [{"organisation": "org-csec", "role": "implementing"}]   # project
    "organisers": ["org-csec"], "series": "green-silk-road-envoys"           # training
    "sessions": [{"start_date": "2018-09-10", "end_date": "2018-09-21", "country": "CN",
                  "online": false, "languages": "zh-hans, ru", "capacity": 35,
                  "application_deadline": "2018-08-01",
                  "translations": {"en": {"city": "Beijing", "venue": "…"}}}]
    "participants": {"KZ": 9, "UZ": 6}
    "documents" / "materials" / "attachments": [{"file": "files/x.pdf", "language": "ru",
                  "title": "…", "label": {"en": "Official text"}}]   # files beside the JSONL
    "trainings": ["trn-…"], "policies": ["policy-…"]             # project -> training, policy
    "relations": [{"relation": "implements", "target": "policy-…"}]   # policy -> policy
    "issuing_organisation": "org-mee", "jurisdiction": "CN"      # policy

Each part is declared once below (:data:`PARTS`, per page model) as an object
that validates its value (errors name the part, the position and the field:
``sessions[2].end_date``) and later applies it to a page. A part that points at
an organisation or page not written yet (further down the file) fails to
apply with ``KeyError`` or ``ObjectDoesNotExist``; the engine applies it again
once the whole file is written.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files import File
from wagtail.documents import get_document_model

from portal import languages
from portal.core.models import Country, Organisation
from portal.security.uploads import check_document

# --- What the parts can refer to -------------------------------------------------


class KeySet:
    """The keys of one kind a record may name: in the database, or declared by a line read so far.

    The file is read once, so a record may name an organisation or a page
    whose line comes later: such a key is taken on trust and remembered with
    the line and field that named it; :meth:`Known.unresolved` reports those
    still unknown once every line has been read.
    """

    def __init__(self, what, keys=()):
        self.what = what
        self.keys = set(keys)
        self.expected = []  # (line, field, key) named before being declared

    def add(self, key):
        self.keys.add(key)

    def __contains__(self, key):
        return key in self.keys

    def expect(self, key, line, name):
        self.expected.append((line, name, key))

    def unresolved(self):
        return [(line, name, key) for line, name, key in self.expected if key not in self.keys]


@dataclass
class Known:
    """Keys a record may refer to: in the database, or declared anywhere in the same import."""

    countries: set = field(default_factory=set)
    organisations: KeySet = field(default_factory=lambda: KeySet("organisation"))
    series: KeySet = field(default_factory=lambda: KeySet("series"))
    pages: dict = field(default_factory=dict)  # import type -> KeySet of external_ids
    files_dir: Path | None = None
    line: int = 0  # the line being validated, for references checked later

    def declare(self, record, line):
        """Add the key a record defines (before validating it: it may name itself)."""
        self.line = line
        if not isinstance(record, dict) or not isinstance(record.get("external_id"), str):
            return
        kind, key = record.get("type"), record["external_id"].strip()
        if kind == "organisation":
            self.organisations.add(key)
        elif kind == "series":
            self.series.add(key)
        elif kind in self.pages:
            self.pages[kind].add(key)

    def unresolved(self):
        """Errors for the keys records named that no line declared and the database lacks."""
        found = []
        for keys in (self.organisations, self.series, *self.pages.values()):
            found += [(line, name, key, keys.what) for line, name, key in keys.unresolved()]
        return [
            f"line {line}, {name}: unknown {what} {key!r}: define it in the file or in the admin first"
            for line, name, key, what in sorted(found)
        ]


class Refs:
    """Objects the parts point at, looked up when written (after organisations and series are)."""

    def __init__(self):
        self.countries = Country.objects.in_bulk(field_name="code")
        self._organisations = None
        self._series = None

    def organisation(self, key):
        if self._organisations is None:
            self._organisations = Organisation.objects.in_bulk(field_name="external_id")
        return self._organisations[key]

    def series(self, key):
        if self._series is None:
            self._series = apps.get_model("projects", "ProgrammeSeries").objects.in_bulk(field_name="slug")
        return self._series[key]

    def page(self, import_type, external_id):
        from portal.core import content_types

        return content_types.by_import_name(import_type).model.objects.get(external_id=external_id)

    def forget_snippets(self):
        """Organisations and series were (re)written: read them again when next needed."""
        self._organisations = self._series = None


# --- Small validators shared by the parts ----------------------------------------------


def _date(value, name, error):
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        error(name, f"{value!r} is not a date; use YYYY-MM-DD")
        return None


def _key(value, known, what, name, error, line=None):
    """The key if ``known`` has it; with a KeySet, a key not declared yet is checked at the end."""
    if not isinstance(value, str) or not value:
        error(name, f"expected the external_id of {what}")
        return None
    if value in known:
        return value
    if isinstance(known, KeySet) and line is not None:
        known.expect(value, line, name)
        return value
    error(name, f"unknown {what} {value!r}: define it in the file or in the admin first")
    return None


def _choice(value, model_field, name, error):
    valid = [str(key) for key, _label in model_field.choices]
    if value not in valid:
        error(name, f"{value!r} is not one of {', '.join(valid)}")
        return None
    return value


def _list(value, name, error):
    if not isinstance(value, list):
        error(name, "expected a list")
        return []
    return value


def _object(value, name, error, allowed):
    if not isinstance(value, dict):
        error(name, "expected an object")
        return None
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        error(f"{name}.{unknown[0]}", f"unknown field; known: {', '.join(sorted(allowed))}")
        return None
    return value


# --- The parts ----------------------------------------------------------------------


class Part:
    """One key of a record that is not a column of the page."""

    def __init__(self, key):
        self.key = key

    def validate(self, value, known, error):
        """The cleaned value, or None after calling ``error(field, message)``."""
        raise NotImplementedError

    def contribute(self, cleaned, item):
        """Add what the model's own rules need to see (dates, a country) to the item."""

    def preview(self, page, cleaned):
        """Show the part to the model's rules on an unsaved ``page`` (nothing is written)."""

    def apply(self, page, cleaned, refs):
        """Set the part on ``page`` (not yet saved); True if anything changed."""
        raise NotImplementedError


class SnippetRef(Part):
    """A foreign key to an organisation or a programme series, by its key."""

    def __init__(self, key, kind):
        super().__init__(key)
        self.kind = kind  # "organisations" or "series"

    def validate(self, value, known, error):
        if value in (None, ""):
            return ""
        what = "organisation" if self.kind == "organisations" else "series"
        return _key(value, getattr(known, self.kind), what, self.key, error, known.line)

    def apply(self, page, cleaned, refs):
        target = (
            (refs.organisation if self.kind == "organisations" else refs.series)(cleaned) if cleaned else None
        )
        if getattr(page, f"{self.key}_id") == (target.pk if target else None):
            return False
        setattr(page, self.key, target)
        return True


class Jurisdiction(Part):
    """A policy's country of jurisdiction; it is one of the document's countries too."""

    def validate(self, value, known, error):
        if value in (None, ""):
            return ""
        return _key(value, known.countries, "country", self.key, error)

    def contribute(self, cleaned, item):
        if cleaned:
            item.fields[f"{self.key}_id"] = Country.objects.get(code=cleaned).pk
            if cleaned not in item.countries:
                item.countries.append(cleaned)

    def apply(self, page, cleaned, refs):
        target = refs.countries[cleaned].pk if cleaned else None
        if getattr(page, f"{self.key}_id") == target:
            return False
        setattr(page, f"{self.key}_id", target)
        return True


class OrganisationList(Part):
    """A many-to-many list of organisations, by key (a training's organisers)."""

    def validate(self, value, known, error):
        keys = [
            _key(v, known.organisations, "organisation", f"{self.key}[{i}]", error, known.line)
            for i, v in enumerate(_list(value, self.key, error), start=1)
        ]
        return keys if all(keys) else None

    def apply(self, page, cleaned, refs):
        wanted = [refs.organisation(k) for k in cleaned]
        current = list(getattr(page, self.key).all()) if page.pk else []
        if [o.pk for o in current] == [o.pk for o in wanted]:
            return False
        setattr(page, self.key, wanted)
        return True


class OrganisationRoles(Part):
    """Organisations with their role in a project: ``[{"organisation": key, "role": …}]``."""

    def __init__(self, key, child):
        super().__init__(key)
        self.child = child  # "app.Model" of the inline rows

    def validate(self, value, known, error):
        role_field = apps.get_model(self.child)._meta.get_field("role")
        rows = []
        for i, row in enumerate(_list(value, self.key, error), start=1):
            name = f"{self.key}[{i}]"
            row = _object(row, name, error, {"organisation", "role"})
            if row is None:
                continue
            key = _key(
                row.get("organisation"),
                known.organisations,
                "organisation",
                f"{name}.organisation",
                error,
                known.line,
            )
            role = _choice(row.get("role", role_field.default), role_field, f"{name}.role", error)
            rows.append((key, role))
        return rows if all(k and r for k, r in rows) else None

    def apply(self, page, cleaned, refs):
        current = [(row.organisation_id, row.role) for row in getattr(page, self.key).all()]
        wanted = [(refs.organisation(k).pk, role) for k, role in cleaned]
        if current == wanted:
            return False
        model = apps.get_model(self.child)
        setattr(page, self.key, [model(organisation_id=pk, role=role) for pk, role in wanted])
        return True


SESSION_FIELDS = {
    "start_date",
    "end_date",
    "country",
    "online",
    "languages",
    "capacity",
    "application_deadline",
    "translations",
}


class Sessions(Part):
    """A training's sessions: dates, place (translated city and venue), languages, places."""

    def validate(self, value, known, error):
        session_model = apps.get_model("projects", "TrainingSession")
        rows = []
        for i, row in enumerate(_list(value, self.key, error), start=1):
            name = f"{self.key}[{i}]"
            row = _object(row, name, error, SESSION_FIELDS)
            if row is None:
                continue
            values = {
                "start_date": _date(row.get("start_date"), f"{name}.start_date", error),
                "end_date": _date(row.get("end_date"), f"{name}.end_date", error),
                "application_deadline": _date(
                    row.get("application_deadline"), f"{name}.application_deadline", error
                ),
                "online": row.get("online", False),
                "languages": row.get("languages", ""),
                "capacity": row.get("capacity"),
            }
            if values["start_date"] is None and "start_date" not in row:
                error(f"{name}.start_date", "required")
            if not isinstance(values["online"], bool):
                error(f"{name}.online", "expected true or false")
            if values["capacity"] is not None and (
                not isinstance(values["capacity"], int) or values["capacity"] < 0
            ):
                error(f"{name}.capacity", "expected a whole number of places")
            if not isinstance(values["languages"], str):
                error(f"{name}.languages", "expected language codes separated by commas")
            country = row.get("country")
            if country not in (None, ""):
                values["country"] = _key(country, known.countries, "country", f"{name}.country", error)
            for lang, texts in _texts(
                row.get("translations", {}), f"{name}.translations", error, {"city", "venue"}
            ):
                for text_name, text in texts.items():
                    values[languages.localized_field(text_name, lang)] = text
            session = session_model(**{k: v for k, v in values.items() if k != "country"})
            try:
                session.clean()
            except ValidationError as exc:
                for field_name, messages in exc.message_dict.items():
                    error(f"{name}.{field_name}", " ".join(messages))
            values["languages"] = session.languages
            rows.append(values)
        return rows

    def contribute(self, cleaned, item):
        """The programme's dates are its sessions' (what ``TrainingProgrammePage.sync_dates`` does)."""
        starts = [s["start_date"] for s in cleaned if s["start_date"]]
        ends = [s["end_date"] or s["start_date"] for s in cleaned if s["end_date"] or s["start_date"]]
        if starts:
            item.fields["start_date"], item.fields["end_date"] = min(starts), max(ends)

    def preview(self, page, cleaned):
        """The sessions' dates (an application deadline ahead makes a programme "open")."""
        session_model = apps.get_model("projects", "TrainingSession")
        dates = ("start_date", "end_date", "application_deadline")
        page.sessions = [session_model(**{k: row[k] for k in dates}) for row in cleaned]

    def apply(self, page, cleaned, refs):
        session_model = apps.get_model("projects", "TrainingSession")
        columns = sorted({k for row in cleaned for k in row} | _session_text_columns())
        wanted = [_session_values(row, refs, columns) for row in cleaned]
        current = [{c: getattr(s, _attr(c)) for c in columns} for s in page.sessions.all()] if page.pk else []
        if current == wanted:
            return False
        page.sessions = [session_model(**{_attr(c): v for c, v in row.items()}) for row in wanted]
        return True


def _session_text_columns():
    return {languages.localized_field(n, c) for n in ("city", "venue") for c in languages.LANGUAGE_CODES}


def _attr(column):
    return "country_id" if column == "country" else column


def _session_values(row, refs, columns):
    values = {c: row.get(c, "" if c in _session_text_columns() else None) for c in columns}
    values["country"] = refs.countries[row["country"]].pk if row.get("country") else None
    return values


def _texts(value, name, error, allowed):
    """``[(lang, {field: text})]`` of a part's own ``translations`` object."""
    if not isinstance(value, dict):
        error(name, "expected an object of languages")
        return []
    result = []
    for lang, texts in value.items():
        if lang not in languages.LANGUAGE_CODES:
            error(f"{name}.{lang}", f"unknown language; use {', '.join(languages.LANGUAGE_CODES)}")
            continue
        texts = _object(texts, f"{name}.{lang}", error, allowed)
        if texts is None:
            continue
        bad = [k for k, v in texts.items() if not isinstance(v, str)]
        if bad:
            error(f"{name}.{lang}.{bad[0]}", "expected a string")
            continue
        result.append((lang, texts))
    return result


class Participants(Part):
    """Participants of a training by country: ``{"KZ": 9, "UZ": 6}``."""

    def validate(self, value, known, error):
        if not isinstance(value, dict):
            error(self.key, 'expected an object of country codes and counts, e.g. {"KZ": 9}')
            return None
        rows = []
        for code, count in value.items():
            if code not in known.countries:
                error(f"{self.key}.{code}", "unknown country code")
            elif not isinstance(count, int) or isinstance(count, bool) or count < 0:
                error(f"{self.key}.{code}", "expected a whole number of participants")
            else:
                rows.append((code, count))
        return rows

    def apply(self, page, cleaned, refs):
        model = apps.get_model("projects", "TrainingParticipants")
        current = [(row.country_id, row.count) for row in page.participants.all()] if page.pk else []
        wanted = [(refs.countries[code].pk, count) for code, count in cleaned]
        if current == wanted:
            return False
        page.participants = [model(country_id=pk, count=count) for pk, count in wanted]
        return True


class Attachments(Part):
    """Files shipped beside the JSONL: ``[{"file": "files/x.pdf", "language": "ru", …}]``.

    Each file passes the checks an editor's upload does (``check_document``:
    type by content, size, PDF limits). A file already stored (same content)
    is reused, so importing again does not duplicate documents.
    """

    def __init__(self, key, child, label=False):
        super().__init__(key)
        self.child = child
        self.label = label  # the row has a translated label: {"en": "Official text", "ru": "…"}

    def _label_columns(self):
        if not self.label:
            return []
        return [languages.localized_field("label", code) for code in languages.LANGUAGE_CODES]

    def validate(self, value, known, error):
        language_field = apps.get_model(self.child)._meta.get_field("language")
        allowed = {"file", "language", "title", *({"label"} if self.label else ())}
        rows = []
        for i, row in enumerate(_list(value, self.key, error), start=1):
            name = f"{self.key}[{i}]"
            row = _object(row, name, error, allowed)
            if row is None:
                continue
            path = _file(row.get("file"), known.files_dir, f"{name}.file", error)
            language = _choice(row.get("language"), language_field, f"{name}.language", error)
            title = row.get("title") or (path.stem if path else "")
            if not isinstance(title, str):
                error(f"{name}.title", "expected a string")
                continue
            labels = {}
            for lang, texts in _texts(
                {k: {"label": v} for k, v in row.get("label", {}).items()}
                if isinstance(row.get("label", {}), dict)
                else None,
                f"{name}.label",
                error,
                {"label"},
            ):
                labels[languages.localized_field("label", lang)] = texts["label"][:255]
            rows.append({"path": path, "language": language, "title": title[:255], "labels": labels})
        return rows

    def _row(self, document_id, language, labels):
        return (document_id, language, *(labels.get(c) or "" for c in self._label_columns()))

    def apply(self, page, cleaned, refs):
        model = apps.get_model(self.child)
        documents = [_document(row["path"], row["title"]) for row in cleaned]
        wanted = [
            self._row(doc.pk, row["language"], row["labels"])
            for doc, row in zip(documents, cleaned, strict=True)
        ]
        current = [
            self._row(row.document_id, row.language, {c: getattr(row, c) for c in self._label_columns()})
            for row in getattr(page, self.key).all()
        ]
        if current == wanted:
            return False
        columns = self._label_columns()
        setattr(
            page,
            self.key,
            [
                model(document_id=w[0], language=w[1], **dict(zip(columns, w[2:], strict=True)))
                for w in wanted
            ],
        )
        return True


def _file(value, files_dir, name, error):
    """The path of an attachment, inside the files folder, checked like an upload."""
    if not isinstance(value, str) or not value:
        error(name, "expected a path relative to the JSONL file, e.g. files/report.pdf")
        return None
    if files_dir is None:
        error(name, "attachments need the folder their files are in (import_content --files DIR)")
        return None
    base = Path(files_dir).resolve()
    path = (base / value).resolve()
    if not path.is_relative_to(base):
        error(name, f"{value!r} is outside the folder of the import ({base})")
        return None
    if not path.is_file():
        error(name, f"no file {value!r} in {base}")
        return None
    with path.open("rb") as f:
        wrapped = File(f, name=path.name)
        try:
            check_document(wrapped)
        except ValidationError as exc:
            error(name, f"{value}: {' '.join(exc.messages)}")
            return None
    return path


def _document(path, title):
    """The stored document with this file's content, else a new one."""
    Document = get_document_model()
    content = path.read_bytes()
    digest = hashlib.sha1(content).hexdigest()
    document = Document.objects.filter(file_hash=digest).first()
    if document is None:
        document = Document(title=title)
        with path.open("rb") as f:
            document.file.save(path.name, File(f, name=path.name), save=False)
        document.file_size = len(content)
        document.file_hash = digest
        document.save()
    elif document.title != title:
        document.title = title
        document.save(update_fields=["title"])
    return document


class PageLinks(Part):
    """Links to other pages by external_id: a project's trainings or policy documents."""

    def __init__(self, key, target_type, attribute, child=None):
        super().__init__(key)
        self.target_type = target_type  # the import type of the pages linked to
        self.attribute = attribute  # the page's many-to-many field, or its inline rows
        self.child = child  # "app.Model" of inline link rows (FK ``policy``), else a many-to-many

    def validate(self, value, known, error):
        targets = known.pages.get(self.target_type, set())
        keys = [
            _key(v, targets, f"{self.target_type} page", f"{self.key}[{i}]", error, known.line)
            for i, v in enumerate(_list(value, self.key, error), start=1)
        ]
        return keys if all(keys) else None

    def apply(self, page, cleaned, refs):
        wanted = [refs.page(self.target_type, key) for key in cleaned]
        if self.child is None:
            current = [p.pk for p in getattr(page, self.attribute).all()] if page.pk else []
            if current == [p.pk for p in wanted]:
                return False
            setattr(page, self.attribute, wanted)
            return True
        current = [row.policy_id for row in getattr(page, self.attribute).all()]
        if current == [p.pk for p in wanted]:
            return False
        model = apps.get_model(self.child)
        setattr(page, self.attribute, [model(policy_id=p.pk) for p in wanted])
        return True


class PolicyRelations(Part):
    """ "This document amends / implements / replaces / is related to that one", by external_id."""

    def validate(self, value, known, error):
        kind_field = apps.get_model("policies", "PolicyRelation")._meta.get_field("relation_type")
        rows = []
        for i, row in enumerate(_list(value, self.key, error), start=1):
            name = f"{self.key}[{i}]"
            row = _object(row, name, error, {"relation", "target"})
            if row is None:
                continue
            kind = _choice(row.get("relation"), kind_field, f"{name}.relation", error)
            target = _key(
                row.get("target"),
                known.pages.get("policy", set()),
                "policy",
                f"{name}.target",
                error,
                known.line,
            )
            rows.append((kind, target))
        return rows if all(k and t for k, t in rows) else None

    def validate_item(self, cleaned, external_id, error):
        for i, (_kind, target) in enumerate(cleaned, start=1):
            if target == external_id:
                error(f"{self.key}[{i}].target", "a document cannot be related to itself")

    def apply(self, page, cleaned, refs):
        model = apps.get_model("policies", "PolicyRelation")
        wanted = [(kind, refs.page("policy", target).pk) for kind, target in cleaned]
        current = [(row.relation_type, row.target_id) for row in page.relations.all()]
        if current == wanted:
            return False
        page.relations = [model(relation_type=kind, target_id=pk) for kind, pk in wanted]
        return True


# One declaration per page model: which parts its records may carry.
PARTS = {
    "projects.projectpage": (
        OrganisationRoles("organisations", child="projects.ProjectOrganisation"),
        Attachments("documents", child="projects.ProjectDocument"),
        PageLinks("trainings", target_type="training", attribute="related_trainings"),
        PageLinks(
            "policies", target_type="policy", attribute="policy_links", child="projects.ProjectPolicyLink"
        ),
    ),
    "projects.trainingprogrammepage": (
        SnippetRef("series", kind="series"),
        OrganisationList("organisers"),
        Sessions("sessions"),
        Participants("participants"),
        Attachments("materials", child="projects.TrainingMaterial"),
    ),
    "policies.policydocumentpage": (
        SnippetRef("issuing_organisation", kind="organisations"),
        Jurisdiction("jurisdiction"),
        Attachments("attachments", child="policies.PolicyAttachment", label=True),
        PolicyRelations("relations"),
    ),
}


def parts_for(model):
    """The parts a record of ``model`` may carry, by record key."""
    return {part.key: part for part in PARTS.get(model._meta.label_lower, ())}
