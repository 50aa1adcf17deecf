"""A short credit report that a bank clerk can check (issue 14, item 7): the printable
report starts with its number, a QR code and a summary, carries the full file as an annex,
and its QR code (decoded with zxing-cpp) leads to /verify/<number>, which confirms the
number, the issue date and the digest of the content."""

from __future__ import annotations

import base64
import io
import re

import zxingcpp
from PIL import Image

from tests.portal_site import DEMO_AS_OF, Site, site

__all__ = ["site"]

NUMBER = re.compile(r'<strong class="report-number">(SC-\d{8}-[0-9A-F]{10})</strong>')
DIGEST = re.compile(r'<code class="digest">([0-9a-f]{64})</code>')
QR = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


def decoded(png: bytes) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_the_report_has_a_number_and_a_qr_code_of_its_verify_page(site: Site) -> None:
    with site.client() as client:
        page = client.get(f"/subjects/{site.listed}/report", params={"as_of": DEMO_AS_OF})
        again = client.get(f"/subjects/{site.listed}/report", params={"as_of": DEMO_AS_OF})
        earlier = client.get(f"/subjects/{site.listed}/report", params={"as_of": "2025-12-30"})
        number, digest = NUMBER.search(page.text), DIGEST.search(page.text)
        qr = QR.search(page.text)
        assert number is not None and digest is not None and qr is not None
        [url] = decoded(base64.b64decode(qr.group(1)))
        assert url == f"{site.url}/verify/{number.group(1)}"
        checked = client.get(url)
        missing = client.get("/verify/SC-20251231-0000000000")
    text = page.text
    assert text.index("Summary") < text.index("Annex: the full file")  # summary first
    assert "List of Dishonest Judgment Debtors" in text.split("Annex: the full file")[0]
    assert number.group(1).startswith("SC-20251231-")
    other = NUMBER.search(again.text)  # the same content again today: the same number
    assert other is not None and other.group(1) == number.group(1)
    assert DIGEST.search(again.text).group(1) == digest.group(1)  # type: ignore[union-attr]
    dated = NUMBER.search(earlier.text)  # another date, another report
    assert dated is not None and dated.group(1).startswith("SC-20251230-")
    assert checked.status_code == 200 and "was issued by this portal" in checked.text
    assert number.group(1) in checked.text and digest.group(1) in checked.text
    assert "2025-12-31" in checked.text  # the date the report is as of
    assert missing.status_code == 404 and "issued no report numbered" in missing.text


def test_the_verify_page_in_chinese(site: Site) -> None:
    with site.client() as client:
        page = client.get(f"/subjects/{site.listed}/report", params={"as_of": DEMO_AS_OF})
        number = NUMBER.search(page.text)
        assert number is not None
        checked = client.get(f"/verify/{number.group(1)}", headers={"Accept-Language": "zh-CN"})
        bad = client.get("/verify/../../etc", headers={"Accept-Language": "zh-CN"})
    assert checked.status_code == 200 and "2025年12月31日" in checked.text
    assert bad.status_code == 404
