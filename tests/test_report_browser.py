"""The HTML report in a real headless browser: it loads with no console errors,
and a page full of script payloads changes nothing on it.

Needs Debian's `chromium` and `chromium-driver` and the `selenium` package; the
test skips with the reason when one is missing. Screenshots go to the test's
tmp dir and to the system temp dir (the path is printed) for review.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from data.store import EvidenceStore
from flows import stages
from reports.builder import build_reports

FIXTURE = Path(__file__).parent / "fixtures" / "reports" / "hostile_clinic.md"
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
SCREENSHOT = Path(tempfile.gettempdir()) / "ketamine-evidence-report.png"


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("Debian chromium and chromium-driver are not installed "
                    "(apt-get install chromium chromium-driver)")
    profile = tempfile.mkdtemp(prefix="ketev-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,1600", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER),
                              options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("browser")
    page = workdir / "pages" / FIXTURE.name
    page.parent.mkdir()
    shutil.copy(FIXTURE, page)
    store = EvidenceStore.open(workdir)
    run = store.start_run({})
    stages.import_file_batch(store, [str(page)], run)
    stages.extract_pending_batch(store, 100, 0, run)
    stages.judge_all_claims(store, run)
    return build_reports(store, workdir / "reports", run)


def test_report_loads_without_console_errors_and_payloads_stay_text(browser, report, tmp_path, capsys):
    browser.get((report / "index.html").as_uri())
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert browser.title == "Ketamine evidence report"
    state = browser.execute_script("""
        const all = [...document.querySelectorAll('*')];
        return {
          scripts: document.scripts.length,
          handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
          jsLinks: [...document.querySelectorAll('a[href]')]
                     .filter(a => a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')).length,
          images: document.images.length,
          pwned: document.body.getAttribute('data-pwned'),
          sections: document.querySelectorAll('section').length,
        };""")
    assert state == {"scripts": 0, "handlers": 0, "jsLinks": 0, "images": 0, "pwned": None,
                     "sections": state["sections"]}
    text = browser.find_element("tag name", "body").get_attribute("textContent")
    assert "<script>document.title = 'pwned'</script>" in text   # shown as text, never run
    for path in (tmp_path / "report.png", SCREENSHOT):
        assert browser.save_screenshot(str(path))
    with capsys.disabled():
        print(f"\nreport screenshot: {SCREENSHOT}")


def test_verdicts_and_charts_render(browser, report):
    browser.get((report / "index.html").as_uri())
    def verdicts(section: str) -> set[str]:
        return {e.text for e in browser.find_elements("css selector", f"#{section} .claim .verdict")}

    assert "overstated" in verdicts("trd")
    # claims naming no condition are judged for the page's (its title says depression)
    assert {"misleading", "contradicted", "overstated"} <= verdicts("depression")
    assert len(browser.find_elements("css selector", "#trd svg.chart")) == 2   # map and rates
    assert browser.find_elements("css selector", "#ocd .claim .verdict")[0].text == "preliminary"
