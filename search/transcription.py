"""Foreign names written in Chinese characters, read back into Cyrillic (issue 15).

Chinese writes a Russian or Central Asian name by sound, with a small, fixed
set of characters (the Xinhua tables of transcription, 俄汉译音表): Муйнак
is 木伊纳克, Темиртау 铁米尔套, Хорог 霍罗格. A query in Chinese naming a
small place no list knows reaches an item written in Russian or English only
if that spelling is read back. :func:`to_cyrillic` does it character by
character (一 syllable each, or a lone consonant for the characters the tables
use as one: 克 к, 斯 с, 尔 р…); the result is close to the Russian spelling,
not equal to it (И/Й, Ж/З, a dropped soft sign), so it is matched *fuzzily*
(``search.ranking``: at most two edits), and in Latin letters
(``search.translit``) on the English fields.

A word is read so only when every character is one the tables use: ordinary
Chinese words almost never consist of them alone, and a word that does is
tried as a name at a name's weight, never instead of its dictionary meaning.
"""

SOURCE = "transcription"  # the ``source`` of these readings' expansions (matched fuzzily)

# Character -> Cyrillic, as the Russian -> Chinese transcription tables use them.
SYLLABLES = {
    # vowels and glides
    "阿": "а", "埃": "э", "艾": "ай", "伊": "и", "奥": "о", "乌": "у", "亚": "я", "耶": "е",
    "叶": "е", "约": "йо", "尤": "ю", "安": "ан", "因": "ин", "翁": "он", "温": "ун",
    # б
    "巴": "ба", "别": "бе", "比": "би", "博": "бо", "布": "бу", "贝": "бе", "宾": "бин", "本": "бен",
    "拜": "бай", "班": "бан", "鲍": "бо", "波": "по",
    # в, ф
    "瓦": "ва", "韦": "ве", "维": "ви", "沃": "во", "武": "ву", "夫": "ф", "弗": "ф", "法": "фа",
    "费": "фе", "菲": "фи", "福": "фо", "富": "фу", "万": "ван", "文": "вин",
    # г, к, х
    "加": "га", "盖": "ге", "吉": "ги", "戈": "го", "古": "гу", "格": "г", "哥": "го", "贡": "гун",
    "卡": "ка", "喀": "ка", "克": "к", "基": "ки", "科": "ко", "库": "ку", "凯": "кай", "坎": "кан",
    "哈": "ха", "赫": "х", "希": "хи", "霍": "хо", "胡": "ху", "汗": "хан", "杭": "хан", "干": "кан",
    # д, т
    "达": "да", "杰": "дже", "迪": "ди", "多": "до", "杜": "ду", "德": "д", "丹": "дан", "登": "ден",
    "顿": "дон", "塔": "та", "捷": "те", "季": "ть", "托": "то", "图": "ту", "特": "т", "铁": "те",
    "坦": "тан", "汀": "тин", "套": "тау", "泰": "тай", "蒂": "ти", "秋": "тю", "吐": "ту",
    # ж, з, ц, ч, ш, щ
    "扎": "жа", "热": "же", "日": "ж", "若": "жо", "茹": "жу", "泽": "зе", "济": "зи", "佐": "зо",
    "祖": "зу", "兹": "з", "赞": "зан", "察": "ца", "采": "це", "齐": "ци", "措": "цо", "茨": "ц",
    "恰": "ча", "切": "че", "奇": "чи", "乔": "чо", "丘": "чу", "琼": "чон", "契": "чи", "沙": "ша",
    "舍": "ше", "绍": "шо", "舒": "шу", "什": "ш", "谢": "се", "申": "шен",
    # л, р
    "拉": "ла", "列": "ле", "利": "ли", "洛": "ло", "卢": "лу", "勒": "ль", "林": "лин", "伦": "лен",
    "兰": "лан", "良": "лян", "柳": "лю", "尔": "р", "里": "ри", "罗": "ро", "鲁": "ру", "雷": "ре",
    "瑞": "ру", "热尔": "жер",
    # м, н, п, с
    "马": "ма", "梅": "ме", "米": "ми", "莫": "мо", "穆": "му", "木": "му", "姆": "м", "曼": "ман",
    "明": "мин", "蒙": "мон", "迈": "май", "麦": "ме", "纳": "на", "涅": "не", "尼": "ни", "诺": "но",
    "努": "ну", "恩": "н", "南": "нан", "宁": "нин", "农": "нон", "帕": "па", "佩": "пе", "皮": "пи",
    "普": "п", "潘": "пан", "萨": "са", "西": "си", "索": "со", "苏": "су", "斯": "с", "桑": "сан",
    "森": "сен", "松": "сон", "塞": "се", "赛": "сай", "尚": "шан", "色": "се", "楞": "лен",
}  # fmt: skip
MIN_CHARS = 3  # two characters are too often an ordinary word made of these characters


def to_cyrillic(word):
    """``"木伊纳克" -> "муинак"``; empty when ``word`` is not a transcription (see the module)."""
    return "".join(_syllables(word))


def _syllables(word):
    """Each character's Cyrillic reading, in order; empty when ``word`` is not a transcription."""
    if len(word) < MIN_CHARS or any(ch not in SYLLABLES for ch in word):
        return []
    readings = [SYLLABLES[ch] for ch in word]
    for i, reading in enumerate(readings[:-1]):
        # A consonant before л/р is written with its u-syllable: 布列斯特 Брест, not Бурест.
        if len(reading) == 2 and reading.endswith("у") and readings[i + 1][:1] in ("л", "р"):
            readings[i] = reading[0]
    return readings


MIN_PART_LETTERS = 3  # a part of a cut reading shorter than this matches too many words


def cut_readings(word):
    """``["чон кмин", "чонк мин"]``: the reading cut in two words between characters.

    Central Asian names are often two words (Чон-Кемин, Сары-Челек, Кара-Куль),
    which Chinese writes as one (琼克明): read whole, «чонкмин» is no word of
    an item that says «Чон-Кемин» or "Chon-Kemin" (two words to the index).
    Each cut whose both parts keep :data:`MIN_PART_LETTERS` letters.
    """
    readings = _syllables(word)
    out = []
    for i in range(1, len(readings)):
        first, second = "".join(readings[:i]), "".join(readings[i:])
        if len(first) >= MIN_PART_LETTERS and len(second) >= MIN_PART_LETTERS:
            out.append(f"{first} {second}")
    return out


# Generic words written after a transcribed name: 乌尔米耶湖 is 乌尔米耶 + 湖 (lake).
GENERIC_SUFFIXES = ("湖", "河", "山", "州", "市", "县", "区", "省", "镇", "村", "港", "站", "湾", "岛")


def split_name(run):
    """``(name, rest)`` when ``run`` is a transcribed name, maybe followed by a generic word; else None."""
    if to_cyrillic(run):
        return run, ""
    if run.endswith(GENERIC_SUFFIXES) and to_cyrillic(run[:-1]):
        return run[:-1], run[-1]
    return None
