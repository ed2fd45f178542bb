"""`applicant.nationality` as people write it → one canonical value.

The guide's words are 中国籍人才 / 外籍人才. People write China in many ways (中国, 中国籍, 中国大陆,
中华人民共和国, CN, CHN, China, Chinese, PRC …); every one of them means CN. 香港, 澳门 and 台湾
(HK, MO, TW) are kept apart: their residents are Chinese nationals without a mainland 身份证 (see
`HMT`). Any other country is read from ISO 3166 as pycountry ships it - the alpha-2 and alpha-3
codes, the English names and the Chinese names of its zh_CN / zh_TW / zh_HK translations - and
stored as its alpha-2 code. 外籍 / foreign (country not said) is kept as `FOREIGN`.

A value that is none of these is an error naming the accepted forms, never silently "foreign".
Pure data in, data out; pycountry is imported only when a value is not one of the China forms.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CHINA = "CN"
HMT = ("HK", "MO", "TW")  # 港澳台: Chinese nationals whose identity document is not a mainland 身份证
FOREIGN = "FOREIGN"  # 外籍, country not given

# folded forms (see _key) -> canonical value
_CHINA_FORMS = [
    "中国", "中國", "中国籍", "中國籍", "中国国籍", "中华人民共和国", "中華人民共和國", "中华人民共和国国籍",
    "中国大陆", "中國大陸", "中国内地", "中國內地", "大陆", "内地", "中国公民",
    "cn", "chn", "china", "chinese", "prc", "p.r.c.", "p.r.china", "pr china", "people's republic of china",
    "the people's republic of china", "mainland china", "china mainland", "china (mainland)", "chinese mainland",
]
_HMT_FORMS = {
    "HK": ["香港", "中国香港", "中國香港", "香港特别行政区", "香港特別行政區", "中国香港特别行政区", "hk", "hkg",
           "hong kong", "hongkong", "hong kong sar", "hong kong, china", "hong kong china"],
    "MO": ["澳门", "澳門", "中国澳门", "中國澳門", "澳门特别行政区", "澳門特別行政區", "中国澳门特别行政区", "mo", "mac",
           "macao", "macau", "macao sar", "macau sar", "macao, china", "macau, china"],
    "TW": ["台湾", "臺灣", "台灣", "中国台湾", "中國台灣", "中国台湾地区", "台湾地区", "台湾省", "中国台湾省", "tw", "twn",
           "taiwan", "taiwan, china", "taiwan china", "chinese taipei"],
}
_FOREIGN_FORMS = ["外籍", "外国", "外國", "外国籍", "外國籍", "外籍人才", "foreign", "foreigner", "foreign national", "non-chinese"]
# common Chinese short names that pycountry's translations word differently
_EXTRA_NAMES = {"俄罗斯联邦": "RU", "玻利维亚": "BO", "韩国": "KR", "南韩": "KR", "北韩": "KP", "英国": "GB", "美國": "US"}

ACCEPTED_ZH = (
    "中国籍填 中国（或 中国籍、中国大陆、中华人民共和国、CN、CHN、China、Chinese、PRC）；"
    "港澳台填 香港、澳门、台湾（或 HK、MO、TW）；外籍填国家的 ISO 3166 代码或国名（如 US、DEU、美国、Germany），"
    "国家不详时填 外籍"
)
ACCEPTED_EN = (
    "for a Chinese national write 中国 (or 中国籍, 中国大陆, 中华人民共和国, CN, CHN, China, Chinese, PRC); "
    "for Hong Kong, Macao or Taiwan write 香港, 澳门, 台湾 (or HK, MO, TW); for a foreign national the country's "
    "ISO 3166 code or name (e.g. US, DEU, 美国, Germany), or 外籍 when the country is not known"
)


def _key(text: str) -> str:
    """The comparable form: NFKC (full-width → half-width), lower case, single spaces, no outer space."""
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"^(?:国籍|國籍|nationality)\s*[:：]\s*", "", text)


def _variants(key: str) -> list[str]:
    """中国籍 → 中国, 美国国籍 → 美国: the 籍 suffix people add to a country's name."""
    found = [key]
    for suffix in ("国籍", "國籍", "籍"):
        if key.endswith(suffix) and len(key) > len(suffix):
            found.append(key[: -len(suffix)])
    return found


@lru_cache(maxsize=1)
def _fixed() -> dict[str, str]:
    table = {_key(f): CHINA for f in _CHINA_FORMS}
    for code, forms in _HMT_FORMS.items():
        table.update({_key(f): code for f in forms})
    table.update({_key(f): FOREIGN for f in _FOREIGN_FORMS})
    table.update({_key(k): v for k, v in _EXTRA_NAMES.items()})
    return table


@lru_cache(maxsize=1)
def _iso_names() -> dict[str, str]:
    """Every ISO 3166 code and name pycountry knows, English and Chinese, folded -> alpha-2."""
    import gettext

    import pycountry

    translations = []
    for lang in ("zh_CN", "zh_TW", "zh_HK"):
        try:
            translations.append(gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]))
        except OSError:  # a trimmed install without that locale: the others still work
            continue
    table: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        names = [getattr(country, a, None) for a in ("name", "official_name", "common_name")]
        names = [n for n in names if n]
        for form in [country.alpha_2, country.alpha_3, *names]:
            table.setdefault(_key(form), code)
        for t in translations:
            for n in names:
                table.setdefault(_key(t.gettext(n)), code)
    return table


def read_nationality(text: str) -> str | None:
    """The canonical value (CN, HK, MO, TW, another alpha-2 code, FOREIGN), None when not recognised."""
    key = _key(text)
    if not key:
        return None
    fixed = _fixed()
    for v in _variants(key):
        if v in fixed:
            return fixed[v]
    if key.upper() == FOREIGN.upper():
        return FOREIGN
    iso = _iso_names()
    for v in _variants(key):
        if v in iso:
            code = iso[v]
            return CHINA if code == CHINA else code
    return None


def is_foreign(value: str | None) -> bool | None:
    """外籍人才: neither mainland China nor 港澳台. None when not given."""
    if value is None:
        return None
    return value not in (CHINA, *HMT)


def is_hmt(value: str | None) -> bool | None:
    """港澳台 (Hong Kong, Macao, Taiwan). None when not given."""
    if value is None:
        return None
    return value in HMT


# what people call a country where ISO's official Chinese name is long
_SHORT_ZH = {"KR": "韩国", "KP": "朝鲜"}
_NAMED = {
    CHINA: ("中国", "China"),
    "HK": ("香港", "Hong Kong"),
    "MO": ("澳门", "Macao"),
    "TW": ("台湾", "Taiwan"),
    FOREIGN: ("外籍", "foreign"),
}


@lru_cache(maxsize=1)
def _zh_cn():
    import gettext

    import pycountry

    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    except OSError:  # a trimmed install without the locale: the English name
        return None


def nationality_name(value: str | None, lang: str = "zh") -> str | None:
    """A canonical value (`read_nationality`'s) as people write and read it: CN → 中国, HK/MO/TW →
    香港/澳门/台湾, FOREIGN → 外籍, another ISO code → its Chinese name (pycountry's zh_CN
    translation), in English with lang="en". The name always reads back to the same value; where
    none does (or the value is not a code), the value itself is returned."""
    if value is None:
        return None
    text = str(value)
    if text in _NAMED:
        return _NAMED[text][1 if lang == "en" else 0]
    if len(text) != 2 or not text.isalpha() or not text.isupper():
        return text
    import pycountry

    country = pycountry.countries.get(alpha_2=text)
    if country is None:
        return text
    english = getattr(country, "common_name", None) or country.name
    if lang == "en":
        name = english
    else:
        translation = _zh_cn()
        name = _SHORT_ZH.get(text) or (translation.gettext(country.name) if translation is not None else english)
    return name if read_nationality(name) == text else text
