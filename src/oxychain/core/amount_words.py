"""Rupee amounts in words, the Indian way (lakh and crore), in English and Hindi.

A purchase order states its value in figures and in words ("Rupees One Crore Twenty
Lakh Only"; "रुपये एक करोड़ बीस लाख मात्र") so that the figure cannot be altered
unnoticed. Hindi has a distinct word for every number below a hundred, hence the table.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _table(words: str) -> tuple[str, ...]:
    return tuple(words.split())


_EN_ONES = _table(
    "Zero One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen "
    "Fifteen Sixteen Seventeen Eighteen Nineteen"
)
_EN_TENS = _table("_ _ Twenty Thirty Forty Fifty Sixty Seventy Eighty Ninety")

_HI_0_99 = _table(
    "शून्य एक दो तीन चार पाँच छह सात आठ नौ "
    "दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह उन्नीस "
    "बीस इक्कीस बाईस तेईस चौबीस पच्चीस छब्बीस सत्ताईस अट्ठाईस उनतीस "
    "तीस इकतीस बत्तीस तैंतीस चौंतीस पैंतीस छत्तीस सैंतीस अड़तीस उनतालीस "
    "चालीस इकतालीस बयालीस तैंतालीस चौवालीस पैंतालीस छियालीस सैंतालीस अड़तालीस उनचास "
    "पचास इक्यावन बावन तिरपन चौवन पचपन छप्पन सत्तावन अट्ठावन उनसठ "
    "साठ इकसठ बासठ तिरसठ चौंसठ पैंसठ छियासठ सड़सठ अड़सठ उनहत्तर "
    "सत्तर इकहत्तर बहत्तर तिहत्तर चौहत्तर पचहत्तर छिहत्तर सतहत्तर अठहत्तर उन्यासी "
    "अस्सी इक्यासी बयासी तिरासी चौरासी पचासी छियासी सत्तासी अट्ठासी नवासी "
    "नब्बे इक्यानबे बानबे तिरानबे चौरानबे पंचानबे छियानबे सत्तानबे अट्ठानबे निन्यानबे"
)

# (size, English, Hindi), largest first; "hundred" is handled inside a group below 1,000.
_SCALES = ((10**7, "Crore", "करोड़"), (10**5, "Lakh", "लाख"), (10**3, "Thousand", "हज़ार"))
_WORDS = {
    "en": {
        "hundred": "Hundred",
        "rupees": "Rupees",
        "paise": "Paise",
        "and": "and",
        "only": "Only",
    },
    "hi": {"hundred": "सौ", "rupees": "रुपये", "paise": "पैसे", "and": "और", "only": "मात्र"},
}


def _below_100(n: int, lang: str) -> str:
    if lang == "hi":
        return _HI_0_99[n]
    if n < 20:
        return _EN_ONES[n]
    tens, ones = divmod(n, 10)
    return _EN_TENS[tens] + (f"-{_EN_ONES[ones]}" if ones else "")


def _below_1000(n: int, lang: str) -> list[str]:
    hundreds, rest = divmod(n, 100)
    words = [_below_100(hundreds, lang), _WORDS[lang]["hundred"]] if hundreds else []
    if rest:
        words.append(_below_100(rest, lang))
    return words


def number_in_words(n: int, lang: str = "en") -> str:
    """12,34,567 → "Twelve Lakh Thirty-Four Thousand Five Hundred Sixty-Seven".

    Crore repeats above 99 crore, as Indian usage has it: 1,00,00,00,000 is "One Hundred
    Crore".
    """
    if n < 0:
        raise ValueError("amounts in words are for non-negative numbers")
    if n == 0:
        return _below_100(0, lang)
    words: list[str] = []
    crores, n = divmod(n, 10**7)
    if crores:
        words += [number_in_words(crores, lang), _SCALES[0][2 if lang == "hi" else 1]]
    for size, english, hindi in _SCALES[1:]:
        count, n = divmod(n, size)
        if count:
            words += [_below_100(count, lang), hindi if lang == "hi" else english]
    words += _below_1000(n, lang)
    return " ".join(words)


def rupees_in_words(amount: Decimal | int, lang: str = "en") -> str:
    """₹1,20,00,000.50 → "Rupees One Crore Twenty Lakh and Fifty Paise Only"
    (Hindi: "रुपये एक करोड़ बीस लाख और पचास पैसे मात्र")."""
    lang = "hi" if lang == "hi" else "en"
    paise_total = int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    rupees, paise = divmod(paise_total, 100)
    w = _WORDS[lang]
    text = f"{w['rupees']} {number_in_words(rupees, lang)}"
    if paise:
        text += f" {w['and']} {number_in_words(paise, lang)} {w['paise']}"
    return f"{text} {w['only']}"
