#!/usr/bin/env python3
"""extract.py - make catalog/customer-service.json from the standard's text.

Reads catalog/source/itss-customer-service.txt (the ITSS V3 2011 カスタマサービス
pages: 達成度指標, スキル熟達度・知識項目, 職種の概要, スキル領域) and writes the
catalog in the format of docs/catalog-format.md. The extraction is committed so
it can be repeated; the build does not run it.

    python3 catalog/tools/extract.py [--check]

Run from the repository root. With --check it writes nothing and exits 1 when
the committed JSON differs from what the source gives. It always prints the
element counts and fails when they differ from the reference counts of the
source document.

Wording: only the list marks (□ － ・ ●) at the start of a line and white
space (ASCII, tab, U+3000) at the very start and end of a text are dropped.
A text of several paragraphs (or printed lines) keeps them joined by "\n".
Slips of the source are kept and recorded in "notes" (see NOTES below).
"""

import json
import re
import sys

SOURCE = "catalog/source/itss-customer-service.txt"
OUTPUT = "catalog/customer-service.json"

JOB = "CS"
WS = " \t\u3000\r"
MARKS = "□－・●"

SPECS = [  # (code, name) of the specializations, in the source's order
    ("HW", "ハードウェア"),
    ("SW", "ソフトウェア"),
    ("FM", "ファシリティマネジメント"),
]
COMMON = ("HWSW", "ハードウェア、ソフトウェア共通", ["HW", "SW"])
# How the skill-area pages name the common block.
COMMON_PAGE_NAME = "共通（ハードウェア、ソフトウェア）"

AREAS = [  # (code, name, kind) in catalog order
    ("UEA", "ユーザ環境分析", "common"),
    ("BST", "ビジネス戦略", "common"),
    ("PM", "プロジェクトマネジメント", "common"),
    ("SOM", "システム運用管理", "common"),
    ("LDR", "リーダーシップ", "common"),
    ("COM", "コミュニケーション", "common"),
    ("NEG", "ネゴシエーション", "common"),
    ("HWT", "ハードウェアテクノロジ", "specific"),
    ("SWT", "ソフトウェアテクノロジ", "specific"),
    ("FMT", "ファシリティマネジメント", "specific"),
]

CRITERIA = {"複雑性": "complexity", "サイズ": "size", "タスク特性": "task"}
LEVEL_DIGITS = {c: i for i, c in enumerate("０１２３４５６７８９")}
LEVEL_RE = re.compile(r"^レベル([０-９])$")
PAGE_OF_RE = re.compile(r"^\d+ of \d+$")

# Page furniture: headings repeated on every page, carrying no wording.
ACHIEVEMENT_FURNITURE = {"カスタマサービスの達成度指標", "専門分野", "達成度指標"}
SKILL_FURNITURE = {"カスタマサービスのスキル熟達度・知識項目", "職種共通スキル項目",
                   "専門分野固有スキル項目", "スキル熟達度", "知識項目", "専門分野："}

REFERENCE = {
    "achievement_sets": 12,
    "check_items": 128, "complexity_items": 58, "size_items": 22, "task_items": 48,
    "proficiency": 94, "proficiency.HW": 24, "proficiency.SW": 24, "proficiency.FM": 32,
    "proficiency.HWSW": 14,
    "knowledge_categories": 154, "knowledge_items": 492,
    "job_overview": 1, "spec_descriptions": 3, "area_descriptions": 10,
}


class SourceError(Exception):
    pass


def clean(s):
    """Strip white space at both ends of a printed line or text."""
    return s.strip(WS)


def unmark(s, mark):
    """Drop the list mark `mark` that starts a (cleaned) line, then white space."""
    assert s.startswith(mark), (s, mark)
    return clean(s[len(mark):])


def level_of(line):
    m = LEVEL_RE.match(line)
    return LEVEL_DIGITS[m.group(1)] if m else None


# ---------------------------------------------------------------- parsing

def read_lines():
    with open(SOURCE, encoding="utf-8") as f:
        return [clean(l.rstrip("\n")) for l in f]


def split_parts(lines):
    """The four parts of the source, as (start, end) line ranges."""
    def find(text, start=0):
        for i in range(start, len(lines)):
            if lines[i] == text:
                return i
        raise SourceError("heading %r not found" % text)
    skill_map = find("カスタマサービスのスキル領域")
    skill_pages = find("カスタマサービスのスキル熟達度・知識項目", skill_map)
    overview = find("職種の概要", skill_pages)
    areas = find("スキル領域", overview)
    return ((0, skill_map), (skill_pages, overview), (overview + 1, areas), (areas + 1, len(lines)))


def parse_achievement(lines, lo, hi):
    """{spec name: [level dict in source order]} from the 達成度指標 pages."""
    spec_names = {name for _, name in SPECS} | {COMMON[1]}
    out = {}
    spec = None
    level = None
    crit = None      # current criterion dict, or "responsibility"
    for i in range(lo, hi):
        line = lines[i]
        if not line or line in ACHIEVEMENT_FURNITURE or PAGE_OF_RE.match(line):
            continue
        n = level_of(line)
        if n is not None:
            level = {"level": n, "responsibility": None}
            out.setdefault(spec, []).append(level)
            crit = None
            continue
        if line.startswith("●"):
            head = unmark(line, "●")
            if head in spec_names:
                spec, level, crit = head, None, None
                continue
            head = head.rstrip("：")
            if head == "責任性":
                crit = "responsibility"
            elif head in CRITERIA:
                crit = {"lead": None, "items": [], "notes": []}
                level[CRITERIA[head]] = crit
            else:
                raise SourceError("line %d: unknown heading %r" % (i + 1, line))
            continue
        if level is None or crit is None:
            raise SourceError("line %d: text outside a criterion: %r" % (i + 1, line))
        if crit == "responsibility":
            if level["responsibility"] is not None:
                raise SourceError("line %d: second 責任性 text" % (i + 1))
            level["responsibility"] = unmark(line, "－")
        elif line.startswith("－"):
            if crit["lead"] is not None:
                raise SourceError("line %d: second lead sentence" % (i + 1))
            crit["lead"] = unmark(line, "－")
        elif line.startswith("□"):
            crit["items"].append(unmark(line, "□"))
        else:
            # Printed under a checklist without a mark: the list of IT main components.
            crit["notes"].append(line)
    return out


def parse_skill_pages(lines, lo, hi):
    """{page spec name: [(area name, {level: [paragraphs]}, [(category, [items])])]}."""
    out = {}
    spec = None
    expect_spec = False
    area = None
    level = None
    for i in range(lo, hi):
        line = lines[i]
        if not line:
            continue
        if line in SKILL_FURNITURE:
            expect_spec = expect_spec or line == "専門分野："
            continue
        if expect_spec:
            spec, expect_spec, area, level = line, False, None, None
            continue
        if line.startswith("●"):
            area = {"name": unmark(line, "●"), "proficiency": {}, "knowledge": []}
            out.setdefault(spec, []).append(area)
            level = None
            continue
        n = level_of(line)
        if n is not None:
            level = {"n": n, "paragraphs": [], "has_knowledge": False}
            area["proficiency"][n] = level["paragraphs"]
            continue
        if area is None or level is None:
            raise SourceError("line %d: text outside a level: %r" % (i + 1, line))
        if line.startswith("－"):
            area["knowledge"].append((unmark(line, "－"), []))
            level["has_knowledge"] = True
        elif line.startswith("・"):
            if not area["knowledge"]:
                raise SourceError("line %d: knowledge item before any category" % (i + 1))
            area["knowledge"][-1][1].append(unmark(line, "・"))
        elif not level["has_knowledge"]:
            level["paragraphs"].append(line)
        else:
            # An unmarked line among the knowledge items continues the item above
            # it: "(Win Win Partnership)" printed on a line of its own.
            items = area["knowledge"][-1][1]
            if not items:
                raise SourceError("line %d: unmarked line after a category" % (i + 1))
            items[-1] = items[-1] + "\n" + line
    return out


def parse_overview(lines, lo, hi):
    """(overview paragraphs, {spec name: description paragraphs})."""
    overview = []
    descriptions = {}
    current = overview
    for i in range(lo, hi):
        line = lines[i]
        if not line or line == "職種：カスタマサービス":
            continue
        if line.startswith("●"):
            current = descriptions.setdefault(unmark(line, "●"), [])
            continue
        current.append(line)
    return overview, descriptions


def parse_area_descriptions(lines, lo, hi):
    """{area name: description paragraphs}, and the page heading above each."""
    furniture = {"職種：カスタマサービス", "職種の説明", "スキル熟達度・知識項目",
                 "カスタマサービス", "達成度指標", "©経済産業省", "PAGE"}
    out = {}
    headings = {}
    heading = None
    current = None
    for i in range(lo, hi):
        line = lines[i]
        if not line or line in furniture or line.isdigit():
            if line == "スキル熟達度・知識項目":
                current = None   # a new page: what follows is not description text
            continue
        if line.startswith("専門分野："):
            heading, current = line, None
            continue
        if line.startswith("●"):
            name = unmark(line, "●")
            current = out.setdefault(name, [])
            headings[name] = heading
            continue
        if current is None:
            raise SourceError("line %d: text outside a description: %r" % (i + 1, line))
        current.append(line)
    return out, headings


# ---------------------------------------------------------------- building

def build(lines):
    ach_range, skill_range, ov_range, area_range = split_parts(lines)
    achievement = parse_achievement(lines, *ach_range)
    pages = parse_skill_pages(lines, *skill_range)
    overview, spec_desc = parse_overview(lines, *ov_range)
    area_desc, area_headings = parse_area_descriptions(lines, *area_range)

    area_by_name = {name: code for code, name, _ in AREAS}

    def make_level(owner_id, lv):
        lid = "%s.L%d" % (owner_id, lv["level"])
        obj = {"id": lid, "level": lv["level"],
               "responsibility": {"id": lid + ".responsibility", "text": lv["responsibility"]}}
        for key in ("complexity", "size", "task"):
            c = lv[key]
            cid = "%s.%s" % (lid, key)
            o = {"id": cid, "lead": c["lead"],
                 "items": [{"id": "%s.%d" % (cid, k + 1), "text": t} for k, t in enumerate(c["items"])]}
            if c["notes"]:
                o["notes"] = [{"id": "%s.note.%d" % (cid, k + 1), "text": t}
                              for k, t in enumerate(c["notes"])]
            obj[key] = o
        return obj

    def make_areas(owner_id, page_areas):
        result = []
        for a in page_areas:
            code = area_by_name[a["name"]]
            said = "%s.%s" % (owner_id, code)
            prof = [{"id": "%s.L%d" % (said, n), "level": n, "text": "\n".join(p)}
                    for n, p in a["proficiency"].items() if p]
            know = []
            for k, (name, items) in enumerate(a["knowledge"]):
                kid = "%s.K%02d" % (said, k + 1)
                know.append({"id": kid, "name": name,
                             "items": [{"id": "%s.%02d" % (kid, j + 1), "text": t}
                                       for j, t in enumerate(items)]})
            result.append({"area": "%s.%s" % (JOB, code), "id": said,
                           "proficiency": prof, "knowledge": know})
        return result

    skill_areas = [{"id": "%s.%s" % (JOB, code), "code": code, "name": name, "kind": kind,
                    "description": "\n".join(area_desc[name])} for code, name, kind in AREAS]

    specializations = []
    for code, name in SPECS:
        sid = "%s.%s" % (JOB, code)
        specializations.append({
            "id": sid, "code": code, "name": name, "description": "\n".join(spec_desc[name]),
            "levels": [make_level(sid, lv) for lv in achievement[name]],
            "skill_areas": make_areas(sid, pages[name]),
        })

    ccode, cname, cshared = COMMON
    cid = "%s.%s" % (JOB, ccode)
    common_levels = [{
        "id": cid, "code": ccode, "name": cname,
        "shared_by": ["%s.%s" % (JOB, s) for s in cshared],
        "levels": [make_level(cid, lv) for lv in achievement[cname]],
        "skill_areas": make_areas(cid, pages[COMMON_PAGE_NAME]),
    }]

    catalog = {
        "format": "itss-catalog",
        "format_version": 1,
        "id": "itss-customer-service",
        "version": "2011.1",
        "title": "ITスキル標準 カスタマサービス",
        "source": {"document": "ITスキル標準 V3 2011 カスタマサービス 達成度指標・スキル熟達度・知識項目",
                   "publisher": "経済産業省", "file": SOURCE},
        "level_range": {"min": 1, "max": 7},
        "job_category": {"id": JOB, "name": "カスタマサービス", "overview": "\n".join(overview)},
        "skill_areas": skill_areas,
        "specializations": specializations,
        "common_levels": common_levels,
        "notes": [],
    }
    return catalog, area_headings


# ---------------------------------------------------------------- notes

KEEP = "The catalog keeps the source wording."

# (about, fragment that must occur in the element's text, remark). The fragment is
# checked so that a note can never drift away from the text it speaks about.
NOTES = [
    ("CS.HW.L5.size.1", "専門知識を\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000有する",
     "The source has a run of ten ideographic spaces (U+3000) inside \"専門知識を　　　　　　　　　　有する\", "
     "a layout remnant; \"専門知識を有する\" is meant (as at SW level 5)."),
    ("CS.FM.L4.size.2", "１00拠点未満",
     "The source has \"１00拠点未満\", mixing a full-width \"１\" with half-width \"00\"; "
     "\"100拠点未満\" is meant (as at FM level 5)."),
    ("CS.HWSW.L2.task.1", "ハードウェア製品、ハードウェア製品",
     "The source has \"システム運用管理、ハードウェア製品、ハードウェア製品に関する基本的知識を有する\" with "
     "\"ハードウェア製品\" given twice; for the block shared by ハードウェア and ソフトウェア, "
     "\"ハードウェア製品、ソフトウェア製品\" is evidently meant."),
    ("CS.HWSW.L1.task.1", "ハードウェア製品、ハードウェア製品",
     "The source has \"システム運用管理、ハードウェア製品、ハードウェア製品に関する基本的知識を有する\" with "
     "\"ハードウェア製品\" given twice; for the block shared by ハードウェア and ソフトウェア, "
     "\"ハードウェア製品、ソフトウェア製品\" is evidently meant."),
    ("CS.HW.BST.K03.03", "実践\n(Win Win Partnership)",
     "The source prints \"(Win Win Partnership)\" on a line of its own, without a mark, below "
     "\"・Value Add Selling Processの活用、実践\"; it continues that item (ソフトウェア prints it on the same "
     "line). The catalog keeps it in that item after a line feed, as printed."),
    ("CS.FM.BST.K03.02", "実践\n(Win Win Partnership)",
     "The source prints \"(Win Win Partnership)\" on a line of its own, without a mark, below "
     "\"・Value Add Selling Processの活用、実践\"; it continues that item (ソフトウェア prints it on the same "
     "line). The catalog keeps it in that item after a line feed, as printed."),
    ("CS.HWSW.BST.K02.06", "ビジネス戦略",
     "The source lists \"・ビジネス戦略\" as a knowledge item under \"－ソリューション提案\"; the items after it "
     "(ビジネスプランニング手法, ビジネスプランの策定, 予実分析) match the category \"－…ビジネス戦略\" of the "
     "specializations, so a category \"－ビジネス戦略\" is evidently meant. The catalog keeps it as the item "
     "the source prints and keeps the items after it under \"ソリューション提案\"."),
    ("CS.FM.FMT.K02.01", "配信方法、通信",
     "The source breaks one knowledge item over two lines, each with its own mark: \"・通信技術、伝送メディア、"
     "伝送技術、配信方法、通信\" and \"・標準の把握、活用\"; one item \"通信技術、伝送メディア、伝送技術、配信方法、"
     "通信標準の把握、活用\" is meant. The catalog keeps the two items as printed (this one and CS.FM.FMT.K02.02)."),
    ("CS.FM.FMT.K02.02", "標準の把握、活用",
     "This item is the second half of CS.FM.FMT.K02.01, broken off by the source with its own mark \"・\"; "
     "\"…配信方法、通信標準の把握、活用\" is one item. The catalog keeps the two items as printed."),
    ("CS.FM.FMT.K04", "コンピュータシステム導入/移転/更新/マイグレーション設計",
     "The source lists the category \"－コンピュータシステム導入/移転/更新/マイグレーション設計\" with no items "
     "under it. The catalog keeps the category with no items."),
    ("CS.HWSW.COM.L1", "基本的な 2Wayコミュニケーション",
     "The source gives the level 1 コミュニケーション proficiency in the very words of level 2 "
     "(\"…一連のカスタマサービス活動に参画できる\"), where every other skill area narrows level 1 "
     "(\"…の一部に参画できる\"); a narrower level 1 text is evidently meant but not given."),
    ("CS.BST", "ビジネプラン立案",
     "The source has \"ビジネプラン立案\", missing \"ス\"; \"ビジネスプラン立案\" is meant."),
    ("CS.HW", "関連機器(以下、\u3000\u3000\u3000\u3000ハードウェアと称す)",
     "The source has stray ideographic spaces (U+3000) inside the text: a run of four in "
     "\"(以下、　　　　ハードウェアと称す)\" and one splitting the word \"導　入\"; \"(以下、ハードウェアと称す)\" "
     "and \"導入\" are meant."),
    ("CS.LDR", "目標設定､チーム形成",
     "The source has the half-width ideographic comma \"､\" (U+FF64) in \"目標設定､チーム形成\" where every "
     "other text uses the full-width \"、\"."),
    ("CS.FMT", "コンピュータ/ネットワークファシリティ設計",
     "In the skill-area descriptions the page heading above ●ファシリティマネジメント reads "
     "\"専門分野：ソフトウェア\" and the one above ●ソフトウェアテクノロジ reads \"専門分野：ファシリティマネジメント\": "
     "the two headings are swapped. The description is that of the skill area ファシリティマネジメント, "
     "whatever the heading says."),
    ("CS.SWT", "ソフトウェアアーキテクチャ",
     "In the skill-area descriptions the page heading above ●ソフトウェアテクノロジ reads "
     "\"専門分野：ファシリティマネジメント\" (and the one above ●ファシリティマネジメント reads \"専門分野：ソフトウェア\"): "
     "the two headings are swapped. The description is that of the skill area ソフトウェアテクノロジ."),
    ("CS.SW.UEA.K08.02", "リレーション構築、維持",
     "The source has \"ユーザの利用部門とのリレーション構築、維持\" where ハードウェア and the common levels "
     "have \"…構築、維持、管理\"; \"、管理\" appears to be missing."),
    ("CS.HW.PM.K07.01", "報告方法分析，指示",
     "The source has the full-width comma \"，\" in \"報告方法分析，指示\" where the standard otherwise "
     "separates words with \"、\" (ファシリティマネジメント has \"報告方法分析、指示\")."),
    ("CS.SW.PM.K07.01", "報告方法分析，指示",
     "The source has the full-width comma \"，\" in \"報告方法分析，指示\" where the standard otherwise "
     "separates words with \"、\" (ファシリティマネジメント has \"報告方法分析、指示\")."),
    ("CS.HWSW.PM.K05.01", "報告方法分析，指示",
     "The source has the full-width comma \"，\" in \"報告方法分析，指示\" where the standard otherwise "
     "separates words with \"、\" (ファシリティマネジメント has \"報告方法分析、指示\")."),
    ("CS.SW.LDR.K01.01", "リーダーシップ の基本",
     "The source has a stray space in \"リーダーシップ の基本や原則の把握、実践\"; "
     "\"リーダーシップの基本や原則の把握、実践\" is meant (as in ハードウェア)."),
    ("CS.FM.LDR.K01.01", "リーダーシップ の基本",
     "The source has a stray space in \"リーダーシップ の基本や原則の把握、実践\"; "
     "\"リーダーシップの基本や原則の把握、実践\" is meant (as in ハードウェア)."),
    ("CS.HWSW.LDR.K01.01", "リーダーシップ の基本",
     "The source has a stray space in \"リーダーシップ の基本や原則の把握、実践\"; "
     "\"リーダーシップの基本や原則の把握、実践\" is meant (as in ハードウェア)."),
    ("CS.FM.UEA.L3", "として、 ユーザ",
     "The source has a stray space after \"として、\" (\"として、 ユーザの担当者以上の方々…\")."),
    ("CS.FM.SOM.L6", "リードして、 IT関連",
     "The source has a stray space after \"リードして、\" (\"リードして、 IT関連ファシリティ…\")."),
    ("CS.FM.COM.L5", "として、 ユーザ",
     "The source has a stray space after \"として、\" (\"として、 ユーザの部長相当以上の方々…\")."),
    ("CS.HWSW.COM.L2", "基本的な 2Way",
     "The source has a stray space in \"基本的な 2Wayコミュニケーション\"."),
    ("CS.HWSW.COM.L1", "基本的な 2Way",
     "The source has a stray space in \"基本的な 2Wayコミュニケーション\"."),
    ("CS.HW.HWT.K01.04", "Linux\u3000etc.",
     "The source has an ideographic space (U+3000) in \"Linux　etc.\" among ASCII text."),
    ("CS.SW.SWT.K01.04", "Linux\u3000etc.",
     "The source has an ideographic space (U+3000) in \"Linux　etc.\" among ASCII text."),
]


def element_texts(catalog):
    """{id: text} of every identified text element, for checking the notes."""
    out = {catalog["id"]: None, catalog["job_category"]["id"]: catalog["job_category"]["overview"]}
    for a in catalog["skill_areas"]:
        out[a["id"]] = a["description"]

    def walk_block(b):
        out[b["id"]] = b.get("description")
        for lv in b["levels"]:
            out[lv["id"]] = None
            out[lv["responsibility"]["id"]] = lv["responsibility"]["text"]
            for key in ("complexity", "size", "task"):
                c = lv[key]
                out[c["id"]] = c["lead"]
                for it in c["items"] + c.get("notes", []):
                    out[it["id"]] = it["text"]
        for sa in b["skill_areas"]:
            out[sa["id"]] = None
            for p in sa["proficiency"]:
                out[p["id"]] = p["text"]
            for k in sa["knowledge"]:
                out[k["id"]] = k["name"]
                for it in k["items"]:
                    out[it["id"]] = it["text"]
    for b in catalog["specializations"] + catalog["common_levels"]:
        walk_block(b)
    return out


def add_notes(catalog, area_headings):
    texts = element_texts(catalog)
    # The notes on the swapped headings stand only while the source shows them swapped.
    if area_headings.get("ファシリティマネジメント") != "専門分野：ソフトウェア" or \
       area_headings.get("ソフトウェアテクノロジ") != "専門分野：ファシリティマネジメント":
        raise SourceError("the skill-area page headings are no longer swapped: %r" % area_headings)
    for n, (about, fragment, remark) in enumerate(NOTES, 1):
        if about not in texts:
            raise SourceError("note %d is about %s, which the catalog does not hold" % (n, about))
        text = texts[about]
        if text is None or fragment not in text:
            raise SourceError("note %d: %r does not occur in %s" % (n, fragment, about))
        catalog["notes"].append({"id": "%s.note.%d" % (JOB, n), "about": about,
                                 "text": remark + " " + KEEP})
    # The L1 コミュニケーション proficiency must still be the level 2 text for note to hold.
    com = [sa for sa in catalog["common_levels"][0]["skill_areas"] if sa["area"] == "CS.COM"][0]
    by_level = {p["level"]: p["text"] for p in com["proficiency"]}
    if by_level.get(1) != by_level.get(2):
        raise SourceError("CS.HWSW.COM.L1 no longer equals CS.HWSW.COM.L2")


# ---------------------------------------------------------------- counts

def count(catalog):
    c = {k: 0 for k in REFERENCE}
    c["job_overview"] = 1 if catalog["job_category"]["overview"] else 0
    c["area_descriptions"] = sum(1 for a in catalog["skill_areas"] if a["description"])
    c["spec_descriptions"] = sum(1 for s in catalog["specializations"] if s["description"])
    for b in catalog["specializations"] + catalog["common_levels"]:
        for lv in b["levels"]:
            c["achievement_sets"] += 1
            for key in ("complexity", "size", "task"):
                c[key + "_items"] += len(lv[key]["items"])
                c["check_items"] += len(lv[key]["items"])
        for sa in b["skill_areas"]:
            c["proficiency"] += len(sa["proficiency"])
            c["proficiency." + b["code"]] += len(sa["proficiency"])
            c["knowledge_categories"] += len(sa["knowledge"])
            c["knowledge_items"] += sum(len(k["items"]) for k in sa["knowledge"])
    return c


def render(catalog):
    return json.dumps(catalog, ensure_ascii=False, indent=2) + "\n"


def main(argv):
    check_only = "--check" in argv[1:]
    catalog, headings = build(read_lines())
    add_notes(catalog, headings)
    counts = count(catalog)
    bad = False
    for key, want in REFERENCE.items():
        got = counts[key]
        flag = "" if got == want else "   <-- reference %d" % want
        bad = bad or got != want
        print("%-22s %4d%s" % (key, got, flag))
    print("%-22s %4d" % ("notes", len(catalog["notes"])))
    if bad:
        print("extract.py: counts differ from the reference counts", file=sys.stderr)
        return 1
    text = render(catalog)
    if check_only:
        with open(OUTPUT, encoding="utf-8") as f:
            same = f.read() == text
        print("%s %s" % (OUTPUT, "matches the source" if same else "DIFFERS from the source"))
        return 0 if same else 1
    tmp = OUTPUT + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    import os
    os.replace(tmp, OUTPUT)
    print("wrote " + OUTPUT)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except SourceError as e:
        print("extract.py: %s: %s" % (SOURCE, e), file=sys.stderr)
        sys.exit(1)
