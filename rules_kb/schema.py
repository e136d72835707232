"""Load the YAML knowledge base and validate it; every error names the file, the entry and the field.

A malformed KB raises KBError: callers (the CLI, the action server) must refuse to start rather than
answer from it.

Longer than 400 lines on purpose: one validator per kind of YAML entry, all sharing the error context (_Ctx);
it reads top to bottom as the file formats do.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # a PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

from .dates import deadline_of
from .model import (
    KB,
    LEAD_LABELS,
    TRUE,
    UNIT_LABELS,
    AbilityGradeIn,
    AgeAtLeast,
    AgeAtMost,
    And,
    Component,
    Condition,
    DisabilityGradeIn,
    Document,
    Fact,
    HasStatus,
    Item,
    Or,
    Part,
    Regions,
    Source,
    Tier,
)

KB_DIR = Path(__file__).resolve().parent
UNITS = ("元/人/月", "小时/月")
KINDS = ("cash", "service")
CONDITION_KEYS = (
    "age_min",
    "age_max",
    "status",
    "any_status",
    "all_status",
    "ability_grade",
    "disability_grade",
    "any",
    "all",
)
ABILITY_GRADES = (0, 1, 2, 3, 4)
DISABILITY_GRADES = (1, 2, 3, 4)


class KBError(ValueError):
    def __init__(self, file: Path | str, entry: str, field: str, message: str):
        self.file, self.entry, self.field = str(file), entry, field
        super().__init__(f"{file}: {entry}: field '{field}': {message}")


class _Ctx:
    """Where we are while validating, so errors can say it."""

    def __init__(self, file: Path, entry: str = "-"):
        self.file, self.entry = file, entry

    def fail(self, field: str, message: str) -> KBError:
        return KBError(_rel(self.file), self.entry, field, message)


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(KB_DIR.parent))
    except ValueError:
        return str(path)


class _Loader(_SafeLoader):
    """safe_load without YAML's own dates: it turns 2023-02-30 into a bare ValueError that names no field, and
    2023-4-27 into a string; here every date stays text and _day() checks it where the field is known.

    Parsed by libyaml (PyYAML's C extension) where PyYAML has it: about eight times faster than PyYAML's own parser
    on this KB (0.06 s against 0.5 s), which every CLI call, server start and test of a changed copy pays; the
    resolvers (below) and the constructor are the same Python code under either parser."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise KBError(_rel(path), "-", "-", f"not valid YAML: {exc}") from None
    except OSError as exc:
        raise KBError(_rel(path), "-", "-", f"cannot read: {exc}") from None


def _require(d: dict, key: str, kind: type | tuple, ctx: _Ctx, allow_none: bool = False) -> Any:
    if key not in d or (d[key] is None and not allow_none):
        raise ctx.fail(key, "missing")
    value = d[key]
    if value is None:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float, (int, float))):
        raise ctx.fail(key, f"expected {getattr(kind, '__name__', kind)}, got {value!r}")
    if isinstance(value, str) and not value.strip():
        raise ctx.fail(key, "empty")
    return value


def _check_keys(d: dict, allowed: tuple, ctx: _Ctx, what: str) -> None:
    for key in d:
        if key not in allowed:
            raise ctx.fail(key, f"unknown {what} (allowed: {', '.join(allowed)})")


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(d: dict, key: str, ctx: _Ctx, required: bool = False) -> Optional[date]:
    """An ISO date (YYYY-MM-DD) that exists; None when absent and not required."""
    value = d.get(key)
    if value is None:
        if required:
            raise ctx.fail(key, "missing")
        return None
    text = str(value).strip()
    if not _ISO_DAY.fullmatch(text):
        raise ctx.fail(key, f"expected a date as YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ctx.fail(key, f"no such day: {text}") from None


def _period(d: dict, ctx: _Ctx, doc: Optional[Document] = None) -> Tuple[Optional[date], Optional[date]]:
    """`valid_from` / `valid_until`: real days, in order; a rule's inside its document's stated period and
    not ended before the document was issued (it would never have been current)."""
    start, end = _day(d, "valid_from", ctx), _day(d, "valid_until", ctx)
    if start and end and start > end:
        raise ctx.fail("valid_from", f"{start} is after valid_until {end}")
    if doc is not None:
        stated = f"{doc.valid_from or '…'} to {doc.valid_until or '…'}"
        if start and doc.valid_from and start < doc.valid_from:
            raise ctx.fail("valid_from", f"{start} is before its document {doc.id}'s period ({stated})")
        if end and doc.valid_until and end > doc.valid_until:
            raise ctx.fail("valid_until", f"{end} is after its document {doc.id}'s period ({stated})")
        if start and doc.valid_until and start > doc.valid_until:
            raise ctx.fail("valid_from", f"{start} is after its document {doc.id}'s period ({stated})")
        if end and end < doc.issued:
            raise ctx.fail("valid_until", f"{end} is before its document {doc.id} was issued ({doc.date})")
    return start, end


# --- documents and regions --------------------------------------------------------------------


def _load_documents(path: Path) -> Dict[str, Document]:
    raw = _read_yaml(path)
    if not isinstance(raw, list):
        raise KBError(_rel(path), "-", "-", "expected a list of documents")
    docs: Dict[str, Document] = {}
    for i, d in enumerate(raw):
        ctx = _Ctx(path, f"document #{i + 1}")
        if not isinstance(d, dict):
            raise ctx.fail("-", "expected a mapping")
        doc_id = _require(d, "id", str, ctx)
        ctx.entry = f"document {doc_id}"
        if doc_id in docs:
            raise ctx.fail("id", "duplicate id")
        _check_keys(d, DOCUMENT_KEYS, ctx, "document key")
        issued = _day(d, "date", ctx, required=True)
        assert issued is not None
        start, end = _period(d, ctx)
        if end and end < issued:
            raise ctx.fail("valid_until", f"{end} is before the document was issued ({issued})")
        listed = d.get("list")
        if listed is not None and not (
            isinstance(listed, dict)
            and set(listed) == {"attachment", "title"}
            and all(isinstance(v, str) and v for v in listed.values())
        ):
            raise ctx.fail("list", "expected {attachment: <附件…>, title: <清单的标题>}")
        docs[doc_id] = Document(
            id=doc_id,
            city=_require(d, "city", str, ctx),
            number=_require(d, "number", str, ctx),
            title=_require(d, "title", str, ctx),
            date=issued.isoformat(),
            file=_require(d, "file", str, ctx),
            current=bool(d.get("current", True)),
            valid_from=start,
            valid_until=end,
            list_attachment=listed["attachment"] if listed else None,
            list_title=listed["title"] if listed else None,
        )
    return docs


DOCUMENT_KEYS = ("id", "city", "number", "title", "date", "file", "current", "valid_from", "valid_until", "list")


def _strip_suffix(name: str) -> Optional[str]:
    for suffix in ("市", "县", "区"):
        if name.endswith(suffix) and len(name) > 2:
            return name[: -len(suffix)]
    return None


def _load_regions(path: Path) -> Regions:
    raw = _read_yaml(path)
    ctx = _Ctx(path, "regions")
    if not isinstance(raw, dict):
        raise ctx.fail("-", "expected a mapping")
    cities = _require(raw, "cities", dict, ctx)
    city_aliases: Dict[str, str] = {}
    county_city: Dict[str, Tuple[str, str]] = {}
    for city, spec in cities.items():
        cctx = _Ctx(path, f"city {city}")
        if not isinstance(spec, dict):
            raise cctx.fail("-", "expected a mapping")
        for alias in [city, *_require(spec, "aliases", list, cctx)]:
            city_aliases[str(alias).lower()] = city
        for county in [*_require(spec, "counties", list, cctx), *spec.get("zones", [])]:
            if county in county_city:
                raise cctx.fail("counties", f"{county} listed twice")
            county_city[county] = (city, county)
            short = _strip_suffix(county)
            # "市中" alone is too generic to mean 枣庄市中区; require the full name there.
            if short and short not in county_city and short not in city_aliases and len(short) >= 2 and short != "市中":
                county_city[short] = (city, county)
    for county, shorts in (raw.get("county_short_forms") or {}).items():
        if county not in county_city:
            raise _Ctx(path, f"county {county}").fail("county_short_forms", "not a listed county")
        for short in shorts:
            county_city[short] = county_city[county]
    statuses_raw = _require(raw, "statuses", dict, ctx)
    status_words: Dict[str, str] = {}
    for status, words in statuses_raw.items():
        sctx = _Ctx(path, f"status {status}")
        if not isinstance(words, list):
            raise sctx.fail("statuses", "expected a list of synonyms")
        for word in [status, *words]:
            if word in status_words and status_words[word] != status:
                raise sctx.fail("statuses", f"synonym {word} also means {status_words[word]}")
            status_words[word] = status
    implies = _status_relation(raw, "implies", statuses_raw, path)
    excludes = _status_relation(raw, "excludes", statuses_raw, path)
    item_synonyms = {str(k): tuple(v or ()) for k, v in (raw.get("item_synonyms") or {}).items()}
    assumptions = raw.get("assumptions") or {}
    for status, note in assumptions.items():
        if status not in statuses_raw or not isinstance(note, str) or not note.strip():
            raise _Ctx(path, f"assumption {status}").fail("assumptions", "expected a known status -> a sentence")
    status_measures = raw.get("status_measures") or {}
    for status, words in status_measures.items():
        if status not in statuses_raw or not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise _Ctx(path, f"status_measures {status}").fail(
                "status_measures", "expected a known status -> a list of topic words"
            )
    return Regions(
        assumptions={str(k): v.strip() for k, v in assumptions.items()},
        status_measures={str(k): tuple(v) for k, v in status_measures.items()},
        item_synonyms=item_synonyms,
        excludes=excludes,
        city_aliases=city_aliases,
        county_city=county_city,
        status_words=status_words,
        statuses=tuple(statuses_raw),
        implies=implies,
    )


def _status_relation(raw: dict, key: str, statuses: dict, path: Path) -> Dict[str, Tuple[str, ...]]:
    """`implies` / `excludes`: status -> other statuses, every one of them a known status."""
    relation: Dict[str, Tuple[str, ...]] = {}
    for status, others in (raw.get(key) or {}).items():
        for s in [status, *others]:
            if s not in statuses:
                raise _Ctx(path, f"{key} {status}").fail(key, f"unknown status {s}")
        relation[status] = tuple(others)
    return relation


# --- sources, conditions, items ---------------------------------------------------------------


def _source(raw: Any, field: str, docs: Dict[str, Document], ctx: _Ctx) -> Source:
    if not isinstance(raw, dict):
        raise ctx.fail(field, "expected a mapping with doc and item or measure")
    _check_keys(raw, ("doc", "attachment", "item", "measure"), ctx, f"key in {field}")
    doc_id = raw.get("doc")
    if doc_id not in docs:
        raise ctx.fail(f"{field}.doc", f"dangling source: no document {doc_id!r} in documents.yml")
    if raw.get("item") is None and raw.get("measure") is None:
        raise ctx.fail(field, "needs an item (list line) or a measure (条)")
    if raw.get("item") is not None and not isinstance(raw["item"], int):
        raise ctx.fail(f"{field}.item", "expected an integer")
    return Source(docs[doc_id], raw.get("attachment"), raw.get("item"), raw.get("measure"))


def parse_condition(raw: Any, regions: Regions, ctx: _Ctx, field: str = "for") -> Condition:
    """A mapping means all of its keys hold; `any`/`all` nest lists of mappings."""
    if raw is None or raw == {}:
        return TRUE
    if not isinstance(raw, dict):
        raise ctx.fail(field, f"expected a mapping of conditions, got {raw!r}")
    _check_keys(raw, CONDITION_KEYS, ctx, f"condition in {field}")
    parts: List[Condition] = []

    def status(name: Any) -> HasStatus:
        if name not in regions.statuses:
            raise ctx.fail(field, f"unknown status {name!r} (known: {'、'.join(regions.statuses)})")
        return HasStatus(name)

    def grades(key: str, allowed: tuple) -> Tuple[int, ...]:
        value = raw[key]
        if not isinstance(value, list) or not value or any(g not in allowed for g in value):
            raise ctx.fail(f"{field}.{key}", f"expected a list of grades from {allowed}")
        return tuple(value)

    for key in ("age_min", "age_max"):
        if key in raw:
            if not isinstance(raw[key], int) or isinstance(raw[key], bool) or not 0 <= raw[key] <= 150:
                raise ctx.fail(f"{field}.{key}", "expected an age in years")
            parts.append(AgeAtLeast(raw[key]) if key == "age_min" else AgeAtMost(raw[key]))
    if "status" in raw:
        parts.append(status(raw["status"]))
    for key, combine in (("any_status", Or), ("all_status", And)):
        if key in raw:
            if not isinstance(raw[key], list) or not raw[key]:
                raise ctx.fail(f"{field}.{key}", "expected a non-empty list of statuses")
            parts.append(combine(tuple(status(s) for s in raw[key])))
    if "ability_grade" in raw:
        parts.append(AbilityGradeIn(grades("ability_grade", ABILITY_GRADES)))
    if "disability_grade" in raw:
        parts.append(DisabilityGradeIn(grades("disability_grade", DISABILITY_GRADES)))
    for key, combine in (("any", Or), ("all", And)):
        if key in raw:
            if not isinstance(raw[key], list) or not raw[key]:
                raise ctx.fail(f"{field}.{key}", "expected a non-empty list of conditions")
            parts.append(combine(tuple(parse_condition(c, regions, ctx, f"{field}.{key}") for c in raw[key])))
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def _amount(raw: Any, field: str, ctx: _Ctx) -> Optional[float]:
    return None if raw is None else _number(raw, field, ctx)


def _number(raw: Any, field: str, ctx: _Ctx) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw < 0:
        raise ctx.fail(field, f"expected a non-negative number or null, got {raw!r}")
    return float(raw)


def _tier(raw: Any, field: str, docs, regions: Regions, ctx: _Ctx) -> Tier:
    if not isinstance(raw, dict):
        raise ctx.fail(field, "expected a mapping")
    _check_keys(
        raw, ("when", "amount", "minimum", "components", "amount_range", "standard", "source"), ctx, f"key in {field}"
    )
    components = tuple(
        Component(
            name=_require(c, "name", str, ctx),
            amount=_number(_require(c, "amount", (int, float), ctx), f"{field}.components.amount", ctx),
            plus_per_year_over_100=float(c.get("plus_per_year_over_100", 0)),
        )
        for c in raw.get("components") or ()
    )
    amount = _amount(raw.get("amount"), f"{field}.amount", ctx)
    if components:
        total = sum(c.amount for c in components)
        if amount is not None and amount != total:
            raise ctx.fail(f"{field}.amount", f"{amount} differs from the sum of its components {total}")
        amount = total
    amount_range = raw.get("amount_range")
    if amount_range is not None:
        if (
            not isinstance(amount_range, list)
            or len(amount_range) != 2
            or not all(isinstance(x, (int, float)) for x in amount_range)
            or amount_range[0] > amount_range[1]
        ):
            raise ctx.fail(f"{field}.amount_range", "expected [low, high]")
        amount_range = (float(amount_range[0]), float(amount_range[1]))
    if amount is None and amount_range is None and not raw.get("standard"):
        raise ctx.fail(field, "a tier with no amount must say its standard (e.g. 具体标准另行制定)")
    return Tier(
        when=parse_condition(raw.get("when"), regions, ctx, f"{field}.when"),
        amount=amount,
        minimum=bool(raw.get("minimum", False)),
        components=components,
        amount_range=amount_range,
        standard=raw.get("standard"),
        source=_source(raw["source"], f"{field}.source", docs, ctx) if "source" in raw else None,
    )


ITEM_KEYS = (
    "id",
    "list_no",
    "group",
    "name",
    "kind",
    "for",
    "proviso",
    "text",
    "standard",
    "parts",
    "agency",
    "source",
    "valid_from",
    "valid_until",
    "gist",
)


def _pieces_of(gist: str, text: str) -> bool:
    """Whether each part of the gist between ；is the text's own words, in order, with … where words are left out
    ("政府兴办…免购门票"): a gist says nothing the list does not."""
    text = re.sub(r"\s+", "", text)
    for piece in re.sub(r"\s+", "", gist).split("；"):
        at = 0
        for words in piece.split("…"):
            found = text.find(words, at) if words else -1
            if found < 0:
                return False
            at = found + len(words)
    return True


def _item(raw: Any, city: str, index: int, docs, regions: Regions, path: Path) -> Item:
    ctx = _Ctx(path, f"item #{index + 1}")
    if not isinstance(raw, dict):
        raise ctx.fail("-", "expected a mapping")
    item_id = _require(raw, "id", str, ctx)
    ctx.entry = f"item {item_id}"
    _check_keys(raw, ITEM_KEYS, ctx, "item key")
    kind = _require(raw, "kind", str, ctx)
    if kind not in KINDS:
        raise ctx.fail("kind", f"expected one of {KINDS}")
    parts = []
    for p_index, p in enumerate(raw.get("parts") or ()):
        field = f"parts[{p_index}]"
        if not isinstance(p, dict):
            raise ctx.fail(field, "expected a mapping")
        unit = p.get("unit")
        if unit is None:
            raise ctx.fail(f"{field}.unit", "amount without unit")
        if unit not in UNITS:
            raise ctx.fail(f"{field}.unit", f"unknown unit {unit!r} (known: {', '.join(UNITS)})")
        tiers = p.get("tiers")
        if not isinstance(tiers, list) or not tiers:
            raise ctx.fail(f"{field}.tiers", "expected a non-empty list of tiers")
        parts.append(
            Part(
                name=_require(p, "name", str, ctx),
                unit=unit,
                tiers=tuple(_tier(t, f"{field}.tiers[{i}]", docs, regions, ctx) for i, t in enumerate(tiers)),
            )
        )
    if kind == "cash" and not parts and not raw.get("standard"):
        raise ctx.fail("standard", "a cash item with no amounts must say its standard (e.g. 按当地规定标准发放)")
    no = raw.get("list_no")
    if no is not None and (not isinstance(no, int) or isinstance(no, bool)):
        raise ctx.fail("list_no", "expected the item's number in the list, or null")
    source = _source(raw.get("source"), "source", docs, ctx)
    start, end = _period(raw, ctx, source.doc)
    gist = raw.get("gist")
    if gist is not None and not (isinstance(gist, str) and _pieces_of(gist, str(raw.get("text") or ""))):
        raise ctx.fail("gist", "expected pieces of the item's text, verbatim, joined by ；(… leaves words out)")
    return Item(
        id=item_id,
        city=city,
        no=no,
        group=_require(raw, "group", str, ctx),
        name=_require(raw, "name", str, ctx),
        kind=kind,
        cond=parse_condition(raw.get("for"), regions, ctx),
        text=_require(raw, "text", str, ctx),
        agency=_require(raw, "agency", str, ctx),
        source=source,
        proviso=raw.get("proviso"),
        standard=raw.get("standard"),
        parts=tuple(parts),
        valid_from=start,
        valid_until=end,
        gist=gist,
    )


def _load_city(path: Path, docs, regions: Regions, seen_ids: Dict[str, str]) -> Tuple[str, Tuple[Item, ...]]:
    raw = _read_yaml(path)
    ctx = _Ctx(path, "file")
    if not isinstance(raw, dict):
        raise ctx.fail("-", "expected a mapping with city and items")
    city = _require(raw, "city", str, ctx)
    if city not in set(regions.city_aliases.values()):
        raise ctx.fail("city", f"unknown city {city!r}")
    raw_items = _require(raw, "items", list, ctx)
    items = []
    for index, r in enumerate(raw_items):
        item = _item(r, city, index, docs, regions, path)
        if item.id in seen_ids:
            raise _Ctx(path, f"item {item.id}").fail("id", f"duplicate id (also in {seen_ids[item.id]})")
        seen_ids[item.id] = _rel(path)
        if item.source.doc.city != city:
            raise _Ctx(path, f"item {item.id}").fail("source.doc", f"cites a document of {item.source.doc.city}")
        items.append(item)
    numbers = [i.no for i in items if i.no is not None]
    if len(numbers) != len(set(numbers)):
        raise ctx.fail("list_no", "two items share a list number")
    return city, tuple(items)


FACT_KEYS = (
    "id",
    "city",
    "topics",
    "title",
    "statement",
    "figure",
    "due",
    "units",
    "measure",
    "valid_from",
    "valid_until",
    "replaces",
    "not_replaced_by",
)


def _units(r: dict, ctx: _Ctx) -> Tuple[Tuple[str, str], ...]:
    """`units`: label -> units, as the document labels them; a lead label (牵头单位/责任单位) first. Absent where
    the document names none (`check` lists those)."""
    raw = r.get("units")
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        raise ctx.fail("units", "expected a mapping of label to units, e.g. {牵头单位: 市民政局}")
    units = []
    for label, names in raw.items():
        if label not in UNIT_LABELS:
            raise ctx.fail("units", f"unknown label {label!r} (allowed: {', '.join(UNIT_LABELS)})")
        if not isinstance(names, str) or not names.strip():
            raise ctx.fail("units", f"{label}: expected the units as written, joined by 、")
        units.append((str(label), names.strip()))
    if units[0][0] not in LEAD_LABELS:
        raise ctx.fail("units", f"the first label must be one of {', '.join(LEAD_LABELS)}, got {units[0][0]!r}")
    return tuple(units)


def _not_replaced_by(r: dict, ctx: _Ctx) -> Tuple[Tuple[str, str], ...]:
    raw = r.get("not_replaced_by")
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not all(isinstance(v, str) and v.strip() for v in raw.values()):
        raise ctx.fail("not_replaced_by", "expected a mapping of a later fact id to why both stand")
    return tuple((str(k), v.strip()) for k, v in raw.items())


def _load_facts(path: Path, docs, cities: set, seen_ids: Dict[str, str]) -> List[Fact]:
    raw = _read_yaml(path)
    doc_id = path.stem
    if doc_id not in docs:
        raise KBError(
            _rel(path),
            "file",
            "name",
            f"dangling source: file must be named after a document id, " f"{doc_id!r} is not in documents.yml",
        )
    if not isinstance(raw, list):
        raise KBError(_rel(path), "file", "-", "expected a list of facts")
    facts = []
    for index, r in enumerate(raw):
        ctx = _Ctx(path, f"fact #{index + 1}")
        if not isinstance(r, dict):
            raise ctx.fail("-", "expected a mapping")
        fact_id = _require(r, "id", str, ctx)
        ctx.entry = f"fact {fact_id}"
        _check_keys(r, FACT_KEYS, ctx, "fact key")
        if fact_id in seen_ids:
            raise ctx.fail("id", f"duplicate id (also in {seen_ids[fact_id]})")
        seen_ids[fact_id] = _rel(path)
        city = _require(r, "city", str, ctx)
        if city not in cities or city != docs[doc_id].city:
            raise ctx.fail("city", f"{city!r} is not the city of {doc_id}")
        topics = _require(r, "topics", list, ctx)
        measure = _require(r, "measure", (int, str), ctx)
        start, end = _period(r, ctx, docs[doc_id])
        due = None if r.get("due") is None else str(r["due"])
        facts.append(
            Fact(
                id=fact_id,
                city=city,
                topics=tuple(str(t) for t in topics),
                title=_require(r, "title", str, ctx),
                statement=_require(r, "statement", str, ctx),
                units=_units(r, ctx),
                source=Source(docs[doc_id], measure=measure),
                figure=None if r.get("figure") is None else str(r["figure"]),
                due=due,
                deadline=_deadline(due, ctx),
                valid_from=start,
                valid_until=end,
                replaces=_require(r, "replaces", str, ctx) if "replaces" in r else None,
                not_replaced_by=_not_replaced_by(r, ctx),
            )
        )
    return facts


def _deadline(due: Optional[str], ctx: _Ctx) -> Optional[date]:
    if due is None:
        return None
    try:
        return deadline_of(due)
    except ValueError as exc:
        raise ctx.fail("due", str(exc)) from None


def _link_replacements(facts: List[Fact], path_of: Dict[str, str]) -> Dict[str, Fact]:
    """`replaces` and `not_replaced_by` name a real fact of the same city, from an earlier document, on the same
    subject (a shared topic); a fact is replaced by one fact at most. Returns replaced id -> replacing fact."""
    by_id = {f.id: f for f in facts}
    replaced_by: Dict[str, Fact] = {}

    def check(f: Fact, other_id: str, field: str, older: Fact, newer: Fact) -> None:
        ctx = _Ctx(Path(path_of[f.id]), f"fact {f.id}")
        if older.city != newer.city:
            raise ctx.fail(field, f"{other_id} is a fact of {by_id[other_id].city}, not {f.city}")
        if not older.source.doc.issued < newer.source.doc.issued:
            raise ctx.fail(
                field,
                f"{older.id} ({older.source.doc.number}) is not from an earlier document than "
                f"{newer.id} ({newer.source.doc.number})",
            )
        if not set(older.topics) & set(newer.topics):
            raise ctx.fail(field, f"{older.id} and {newer.id} share no topic: not the same subject")

    for f in facts:
        ctx = _Ctx(Path(path_of[f.id]), f"fact {f.id}")
        if f.replaces is not None:
            if f.replaces not in by_id:
                raise ctx.fail("replaces", f"no fact {f.replaces!r}")
            check(f, f.replaces, "replaces", by_id[f.replaces], f)
            if f.replaces in replaced_by:
                raise ctx.fail("replaces", f"{f.replaces} is already replaced by {replaced_by[f.replaces].id}")
            replaced_by[f.replaces] = f
        for later, _why in f.not_replaced_by:
            if later not in by_id:
                raise ctx.fail("not_replaced_by", f"no fact {later!r}")
            check(f, later, "not_replaced_by", f, by_id[later])
    return replaced_by


def load_kb(root: Path | str | None = None) -> KB:
    """Read and validate the whole KB under `root` (default: this package's folder)."""
    root = Path(root) if root else KB_DIR
    docs = _load_documents(root / "documents.yml")
    regions = _load_regions(root / "regions.yml")
    known_cities = set(regions.city_aliases.values())
    for doc in docs.values():
        if doc.city not in known_cities:
            raise KBError(_rel(root / "documents.yml"), f"document {doc.id}", "city", f"unknown city {doc.city!r}")
    seen: Dict[str, str] = {}
    items: Dict[str, Tuple[Item, ...]] = {}
    city_files = sorted((root / "cities").glob("*.yml"))
    if not city_files:
        raise KBError(_rel(root / "cities"), "-", "-", "no city files")
    for path in city_files:
        city, city_items = _load_city(path, docs, regions, seen)
        if city in items:
            raise KBError(_rel(path), "file", "city", f"{city} already defined in another file")
        items[city] = city_items
    facts: List[Fact] = []
    for path in sorted((root / "facts").glob("*.yml")):
        facts.extend(_load_facts(path, docs, known_cities, seen))
    replaced_by = _link_replacements(facts, seen)
    missing = known_cities - set(items)
    if missing:
        raise KBError(_rel(root / "cities"), "-", "city", f"no item list for {', '.join(sorted(missing))}")
    return KB(
        documents=docs,
        items=items,
        facts=tuple(facts),
        regions=regions,
        replaced_by=replaced_by,
        cities=tuple(sorted(items, key=list(dict.fromkeys(regions.city_aliases.values())).index)),
    )


@functools.lru_cache(maxsize=1)
def default_kb() -> KB:
    """The packaged KB, loaded once per process, with the matters outside it (outside.yml) checked against it."""
    from .outside import topics

    kb = load_kb()
    topics(kb)
    return kb
