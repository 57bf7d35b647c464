"""A supplier's identity: GSTIN, PAN, Udyam registration number, address, and the MSE
attributes the yearly MSE report needs.

Every entry point (form, API, import file) builds a :class:`SupplierSpec`, which refuses
anything malformed with a reason a person can read; the messages carry no parameters so
the import's row errors translate as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from oxychain.core.errors import InvalidInput
from oxychain.core.i18n import N_

# GSTIN characters and their values for the check digit (GSTN's mod-36 scheme).
GSTIN_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# GST state codes: 01-38 are the states and union territories in Census order
# (CBIC, "State Code List"), 97 Other Territory; UP is 09.
GST_STATE_CODES = frozenset(f"{n:02d}" for n in range(1, 39)) | {"97"}
# Income Tax Department: the 4th letter of a PAN is the holder's status.
PAN_HOLDER_TYPES = {
    "P": "individual",
    "C": "company",
    "H": "Hindu undivided family",
    "F": "firm or LLP",
    "A": "association of persons",
    "T": "trust",
    "B": "body of individuals",
    "L": "local authority",
    "J": "artificial juridical person",
    "G": "government",
}
_PAN = re.compile(r"[A-Z]{3}[A-Z][A-Z][0-9]{4}[A-Z]")
# GSTIN: state code, PAN, entity number (1-9, A-Z), 'Z' by default, check character.
_GSTIN = re.compile(r"([0-9]{2})([A-Z]{5}[0-9]{4}[A-Z])([1-9A-Z])Z([0-9A-Z])")
# Udyam Registration Number (MSME notification S.O. 2119(E), 26-06-2020):
# UDYAM-<state, 2 letters>-<district, 2 digits>-<7 digits>.
_UDYAM = re.compile(r"UDYAM-[A-Z]{2}-[0-9]{2}-[0-9]{7}")
MAX_ADDRESS_CHARS = 300
MAX_NAME_CHARS = 160
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,23}")


def gstin_check_character(first14: str) -> str:
    """The 15th character of a GSTIN from the first 14 (GSTN's mod-36 check).

    Each character's value (0-9, A=10 ... Z=35) is multiplied by 1 and 2 in turn from the
    left; each product adds its quotient and remainder by 36; the check is the value that
    brings the sum to a multiple of 36."""
    total = 0
    for position, char in enumerate(first14):
        product = GSTIN_CHARSET.index(char) * (1 if position % 2 == 0 else 2)
        total += product // 36 + product % 36
    return GSTIN_CHARSET[(36 - total % 36) % 36]


def normalise(value: str) -> str:
    return "".join(value.split()).upper()


def check_pan(value: str) -> str:
    pan = normalise(value)
    if not _PAN.fullmatch(pan):
        raise InvalidInput(
            "PAN must be 5 letters, 4 digits and a letter (AAAAA9999A).", field="pan"
        )
    if pan[3] not in PAN_HOLDER_TYPES:
        raise InvalidInput(
            "The 4th letter of a PAN must be a holder type (P, C, H, F, A, T, B, L, J or G).",
            field="pan",
        )
    return pan


def check_gstin(value: str) -> str:
    gstin = normalise(value)
    match = _GSTIN.fullmatch(gstin)
    if len(gstin) != 15 or match is None:
        raise InvalidInput(
            "GSTIN must be 15 characters: state code, PAN, entity number, Z, check character.",
            field="gstin",
        )
    if match.group(1) not in GST_STATE_CODES:
        raise InvalidInput("The GSTIN's first two digits are not a GST state code.", field="gstin")
    try:
        check_pan(match.group(2))
    except InvalidInput:
        raise InvalidInput("The GSTIN does not hold a valid PAN.", field="gstin") from None
    if gstin_check_character(gstin[:14]) != gstin[14]:
        raise InvalidInput("The GSTIN's check character is wrong: check for a typo.", field="gstin")
    return gstin


def check_udyam(value: str) -> str:
    udyam = normalise(value)
    if not _UDYAM.fullmatch(udyam):
        raise InvalidInput(
            "Udyam registration number must read UDYAM-XX-00-0000000.", field="udyam"
        )
    return udyam


@dataclass(frozen=True)
class SupplierSpec:
    """A supplier as entered; built only through :func:`supplier_spec`."""

    code: str
    name: str
    gstin: str = ""
    pan: str = ""
    udyam: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    is_mse: bool = False
    sc_st_owned: bool = False
    women_owned: bool = False

    @property
    def state_code(self) -> str:
        return self.gstin[:2]


def supplier_spec(  # noqa: PLR0913
    code: str,
    name: str,
    *,
    gstin: str = "",
    pan: str = "",
    udyam: str = "",
    address: str = "",
    email: str = "",
    phone: str = "",
    is_mse: bool = False,
    sc_st_owned: bool = False,
    women_owned: bool = False,
) -> SupplierSpec:
    """Check and normalise a supplier; the first problem found is raised."""
    code, name, address = code.strip(), " ".join(name.split()), " ".join(address.split())
    if not _CODE.fullmatch(code):
        raise InvalidInput(
            "Supplier code: up to 24 letters, digits, '.', '_' or '-'.", field="code"
        )
    if not name or len(name) > MAX_NAME_CHARS:
        raise InvalidInput("Supplier name: 1 to 160 characters.", field="name")
    if len(address) > MAX_ADDRESS_CHARS:
        raise InvalidInput("Address: at most 300 characters.", field="address")
    pan = check_pan(pan) if pan.strip() else ""
    gstin = check_gstin(gstin) if gstin.strip() else ""
    if gstin and pan and gstin[2:12] != pan:
        raise InvalidInput("The GSTIN holds a different PAN from the one given.", field="gstin")
    pan = pan or gstin[2:12]
    udyam = check_udyam(udyam) if udyam.strip() else ""
    # MSE Order 2012 para 3: the benefits go to MSEs registered with the notified body
    # (Udyam since 01-07-2020); an owner's category counts only for an MSE.
    if is_mse and not udyam:
        raise InvalidInput("An MSE needs its Udyam registration number.", field="udyam")
    if (sc_st_owned or women_owned) and not is_mse:
        raise InvalidInput(
            "SC/ST-owned and women-owned are recorded only for an MSE.", field="is_mse"
        )
    return SupplierSpec(
        code=code,
        name=name,
        gstin=gstin,
        pan=pan,
        udyam=udyam,
        address=address,
        email=email.strip()[:160],
        phone=phone.strip()[:32],
        is_mse=is_mse,
        sc_st_owned=sc_st_owned,
        women_owned=women_owned,
    )


# --- an import file ---------------------------------------------------------------------

IMPORT_COLUMNS = ("code", "name", "gstin", "pan", "udyam", "address", "email", "phone")
FLAG_COLUMNS = ("is_mse", "sc_st_owned", "women_owned")
_YES = {"yes", "y", "true", "1", "हाँ", "हां"}
_NO = {"no", "n", "false", "0", "", "नहीं"}


@dataclass(frozen=True)
class RowProblem:
    row: int | None
    column: str | None
    message: str  # an English msgid without parameters


def parse_supplier_rows(
    rows: list[tuple[int, list[str]]], max_problems: int = 200
) -> tuple[list[SupplierSpec], list[RowProblem]]:
    """A sheet with a header row (``code`` and ``name`` required; the other columns of
    :data:`IMPORT_COLUMNS` and :data:`FLAG_COLUMNS` optional) as supplier specs; every row
    checked as the form checks it."""
    if not rows:
        return [], [RowProblem(None, None, N_("The file has no rows."))]
    header_row, header = rows[0]
    names = [h.strip().lower() for h in header]
    known = set(IMPORT_COLUMNS) | set(FLAG_COLUMNS)
    if "code" not in names or "name" not in names:
        return [], [RowProblem(header_row, None, N_("The header needs the columns code and name."))]
    unknown = [n for n in names if n and n not in known]
    if unknown:
        return [], [RowProblem(header_row, None, N_("The header has a column that is not known."))]
    specs: list[SupplierSpec] = []
    problems: list[RowProblem] = []
    seen: set[str] = set()
    for number, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        values = {n: (cells[i] if i < len(cells) else "") for i, n in enumerate(names) if n}
        try:
            flags = {f: _flag(values.get(f, ""), f) for f in FLAG_COLUMNS}
            spec = supplier_spec(**{c: values.get(c, "") for c in IMPORT_COLUMNS}, **flags)
        except InvalidInput as refused:
            problems.append(RowProblem(number, refused.params.get("field"), refused.template))
        else:
            if spec.code in seen:
                problems.append(
                    RowProblem(number, "code", N_("The code appears twice in the file."))
                )
            seen.add(spec.code)
            specs.append(spec)
        if len(problems) >= max_problems:
            break
    return specs, problems


def _flag(value: str, column: str) -> bool:
    text = value.strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise InvalidInput("Write yes or no.", field=column)
