"""Reading a form off a page, as a browser would submit it unchanged (used by
the load test's officers and by the single-save benchmark)."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The named fields of one form (``<form>`` with the given attribute, e.g.
    ``data-testid="report-form"``) that a browser would send, with their
    current values, and the option values of each select."""

    def __init__(self, attribute: str = "data-testid", value: str = "report-form"):
        super().__init__()
        self.wanted = (attribute, value)
        self.in_form = False
        self.fields: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get(self.wanted[0]) == self.wanted[1]:
            self.in_form = True
        if not self.in_form:
            return
        name = attributes.get("name")
        if "disabled" in attributes:  # a browser does not send it
            name = None
        if tag == "input" and name and attributes.get("type") not in {"submit"}:
            if attributes.get("type") in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.fields[name] = attributes.get("value", "on")
            else:
                self.fields[name] = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
            self.options[name] = []
        elif tag == "option" and self._select:
            self.options[self._select].append(attributes.get("value") or "")
            if "selected" in attributes:
                self.fields[self._select] = attributes.get("value") or ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # A browser drops the newline that follows the opening tag.
            value = self.fields[self._textarea]
            self.fields[self._textarea] = value.removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.in_form = False


def form_fields(html: str, attribute="data-testid", value="report-form") -> FormFields:
    parser = FormFields(attribute, value)
    parser.feed(html)
    return parser


EXPLANATION = "Benchmark: the answer changes on purpose."


def with_explanations(data: dict, names) -> dict:
    """``data`` with an explanation for each field in ``names`` (``r12-x``
    gets ``r12-explanation_x``, the key of
    ``reports.entry.warnings.explanation_key``): a report is sent for review
    only once every warning is explained; an explanation without a warning
    is ignored."""
    explained = dict(data)
    for name in names:
        row, dash, field = name.rpartition("-")
        if field.startswith("explanation_"):
            continue
        explained.setdefault(f"{row}{dash}explanation_{field}", EXPLANATION)
    return explained
