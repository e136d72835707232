"""Write the jieba user dictionary from the KB's terms so item names, statuses, agencies and places stay whole.

python -m scripts.gen_jieba_dict data/jieba/userdict.txt     (from the project's root, as every script)
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.nlu.extractor import RELATIONS
from rules_kb import default_kb


def terms() -> list:
    kb = default_kb()
    words = set()
    for items in kb.items.values():
        for item in items:
            words.add(item.name)
            words.update(p.name for p in item.parts)
            words.update(a.strip() for a in item.agency.split("、"))
    for name, synonyms in kb.regions.item_synonyms.items():
        words.add(name)
        words.update(synonyms)
    words.update(kb.regions.status_words)
    words.update(w for w in kb.regions.city_aliases if not w.isascii())
    words.update(kb.regions.county_city)
    words.update(RELATIONS)
    for fact in kb.facts:
        words.update(t for t in fact.topics if 2 <= len(t) <= 12)
    return sorted(w for w in words if len(w) >= 2 and " " not in w)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "data/jieba/userdict.txt")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(f"{w} 100000 n\n" for w in terms()), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
