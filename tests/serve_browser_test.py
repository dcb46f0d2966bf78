#!/usr/bin/python3
"""byline-serve's page, clicked through in a real browser (Debian's
chromium, driven by Selenium and chromedriver), as a reporter would use it:
type a query, download the results as CSV, click a facet, remove its chip, set a date range, drill into
a year and a month on the timeline, go to page 2, open an article and go
back, check that nothing submits on a change, look at the page at 1280 and
390 px wide (screenshots saved), and check the page's accessibility basics
in the same browser.

Usage: serve_browser_test.py BASE-URL ARTIFACTS-DIR
Exit status: 0 passed, 1 failed, 77 skipped (no Selenium or chromedriver).
"""
import csv
import os
import re
import shutil
import sys
import time
import urllib.parse

try:
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.chrome.service import Service
except ImportError:
    print("serve_browser_test: skip: no Selenium (apt-get install python3-selenium)")
    sys.exit(77)

BASE, ART = sys.argv[1], sys.argv[2]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print("FAIL: " + what, file=sys.stderr)


def args(url):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def hit_dates(d):
    dates = []
    for m in d.find_elements(By.CSS_SELECTOR, "article.hit .meta"):
        found = re.search(r"\d{4}-\d{2}-\d{2}", m.text)
        if found:
            dates.append(found.group(0))
    return dates


def go(el):
    """Click EL (a link or a submit button) and wait for the next page:
    a click returns before the navigation it starts has ended."""
    old = d.current_url
    el.click()
    for _ in range(200):
        if (d.current_url != old and
                d.execute_script("return document.readyState") == "complete"):
            return
        time.sleep(0.05)


def summary(d):
    return d.find_element(By.CSS_SELECTOR, "h1.summary").text


driver_path = shutil.which("chromedriver")
browser = shutil.which("chromium") or shutil.which("chromium-browser")
if not driver_path or not browser:
    print("serve_browser_test: skip: needs chromium and chromedriver "
          "(apt-get install chromium chromium-driver)")
    sys.exit(77)
opts = webdriver.ChromeOptions()
opts.binary_location = browser
for a in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
          "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--window-size=1280,1000"):
    opts.add_argument(a)
downloads = os.path.join(ART, "serve-browser-downloads")
shutil.rmtree(downloads, ignore_errors=True)
os.makedirs(downloads)
opts.add_experimental_option("prefs", {
    "download.default_directory": downloads,
    "download.prompt_for_download": False})
d = webdriver.Chrome(service=Service(driver_path), options=opts)
d.set_page_load_timeout(30)
try:
    # The home page says how big the archive is and what it spans.
    d.get(BASE + "/")
    body = d.find_element(By.TAG_NAME, "body").text
    check(re.search(r"\b3\d articles, dated 2017-\d\d-\d\d to 2024-\d\d-\d\d",
                    body), "home: no size and span of the archive: " + body[:300])

    # Type a query, as a person does, and press Enter.
    box = d.find_element(By.ID, "q")
    box.send_keys("said")
    box.send_keys(Keys.ENTER)
    for _ in range(200):
        if "q=said" in d.current_url:
            break
        time.sleep(0.05)
    check(args(d.current_url).get("q") == "said", "typing: not searched")
    s = summary(d)
    check(s.startswith("Results 1–10 of "), "summary: " + s)
    total = int(re.search(r"of (?:about )?([\d,]+)", s).group(1).replace(",", ""))
    hits = d.find_elements(By.CSS_SELECTOR, "article.hit")
    check(len(hits) == 10, "first page: %d hits" % len(hits))

    # Download CSV: every result of the search, one row each.
    d.find_element(By.PARTIAL_LINK_TEXT, "Download CSV").click()
    got = []
    for _ in range(100):
        got = [f for f in os.listdir(downloads) if f.endswith(".csv")]
        if got:
            break
        time.sleep(0.1)
    check(got, "Download CSV: nothing downloaded")
    if got:
        with open(os.path.join(downloads, got[0]), newline="",
                  encoding="utf-8") as f:
            rows = list(csv.reader(f))
        check(rows and rows[0][:3] == ["id", "title", "author"],
              "CSV: no header row")
        check(len(rows) - 1 == total,
              "CSV: %d rows, the page says %d" % (len(rows) - 1, total))

    # Nothing submits on a change: the order changes only with Search.
    url = d.current_url
    d.find_element(By.CSS_SELECTOR, "#sort option[value=date]").click()
    check(d.current_url == url, "changing the order submitted the form")

    # Click a facet: the list narrows, a chip shows the filter; its x
    # removes it.
    link = d.find_element(
        By.XPATH, "//aside/h2[text()='Author']/following-sibling::ul[1]/li/a")
    name = link.text
    go(link)
    check(args(d.current_url).get("author") == name,
          "facet: no author filter in " + d.current_url)
    narrowed = d.find_elements(By.CSS_SELECTOR, "article.hit")
    check(0 < len(narrowed) <= len(hits), "facet did not narrow the list")
    for h in d.find_elements(By.CSS_SELECTOR, "article.hit .meta"):
        check(name in h.text, "facet: a hit by someone else: " + h.text)
    chip = d.find_element(By.CSS_SELECTOR, ".chips a")
    check(name in chip.text, "no chip for the filter: " + chip.text)
    go(chip)
    check("author" not in args(d.current_url), "the chip did not remove it")
    check(str(total) in summary(d).replace(",", ""), "back to every hit")

    # A date range in the two fields, working without script.
    d.find_element(By.ID, "from").send_keys("2019")
    to = d.find_element(By.ID, "to")
    to.send_keys("2023")
    go(d.find_element(By.CSS_SELECTOR, "form.search button[type=submit]"))
    a = args(d.current_url)
    check(a.get("from") == "2019" and a.get("to") == "2023",
          "date fields: " + d.current_url)
    for dt in hit_dates(d):
        check("2019" <= dt[:4] <= "2023", "a hit outside 2019-2023: " + dt)
    check("Dates: 2019" in d.find_element(By.CSS_SELECTOR, ".chips").text,
          "no chip for the dates")

    # The timeline: years with the empty one as a gap; a year's bar shows
    # its months, a month's its days.
    bars = d.find_elements(By.CSS_SELECTOR, ".timeline svg a")
    labels = [b.get_attribute("aria-label") for b in bars]
    check("2020: 0" in labels, "no gap for 2020: %s" % labels)
    year = [b for b in bars if b.get_attribute("aria-label").startswith("2023:")]
    check(len(year) == 1, "no bar for 2023")
    d.execute_script("arguments[0].scrollIntoView()", year[0])
    go(year[0])
    a = args(d.current_url)
    check(a.get("from") == "2023" and a.get("to") == "2023",
          "year bar: " + d.current_url)
    months = d.find_elements(By.CSS_SELECTOR, ".timeline svg a")
    check(len(months) == 12, "the months of 2023: %d bars" % len(months))
    full = [m for m in months if not m.get_attribute("aria-label").endswith(": 0")]
    check(full, "no month of 2023 with articles")
    month = full[0].get_attribute("aria-label").split(":")[0]
    go(full[0])
    a = args(d.current_url)
    check(a.get("from") == month and a.get("to") == month,
          "month bar: " + d.current_url)
    days = d.find_elements(By.CSS_SELECTOR, ".timeline svg a")
    check(28 <= len(days) <= 31, "the days of %s: %d bars" % (month, len(days)))
    for dt in hit_dates(d):
        check(dt.startswith(month), "a hit outside %s: %s" % (month, dt))

    # Page 2 of a plain search, then an article and back.
    d.get(BASE + "/?q=said")
    page2 = d.find_element(By.CSS_SELECTOR, "nav.pages a[aria-label='Page 2']")
    go(page2)
    check(args(d.current_url).get("offset") == "10", "page 2: " + d.current_url)
    check(summary(d).startswith("Results 11–"), "page 2: " + summary(d))
    first = d.find_element(By.CSS_SELECTOR, "article.hit h2 a")
    title = first.text
    go(first)
    check(d.find_element(By.TAG_NAME, "h1").text == title,
          "article view: another title")
    check(d.find_elements(By.PARTIAL_LINK_TEXT, "Permalink"), "no permalink")
    go(d.find_element(By.PARTIAL_LINK_TEXT, "Back to the results"))
    check(args(d.current_url).get("offset") == "10" and
          summary(d).startswith("Results 11–"), "back: " + d.current_url)

    # The feed is advertised in the head.
    feeds = d.find_elements(By.CSS_SELECTOR,
                            "link[rel=alternate][type='application/atom+xml']")
    check(len(feeds) == 1 and "/feed?q=said" in feeds[0].get_attribute("href"),
          "no feed link in the head")

    # Keyboard: / focuses the search box; every timeline bar and facet
    # link is a link a screen reader can reach (it has a name).
    d.get(BASE + "/?q=said")
    d.find_element(By.TAG_NAME, "body").send_keys("/")
    check(d.switch_to.active_element.get_attribute("id") == "q",
          "/ does not focus the search box")
    d.save_screenshot(ART + "/serve-browser-1280.png")

    # Accessibility basics, checked in the page by the browser.
    problems = d.execute_script("""
        var out = [];
        if (!document.documentElement.lang) out.push('no lang');
        document.querySelectorAll('input:not([type=hidden]), select').forEach(
          function (e) {
            var named = e.labels && e.labels.length || e.getAttribute('aria-label');
            if (!named) out.push('unlabelled ' + e.outerHTML.slice(0, 60));
          });
        document.querySelectorAll('a').forEach(function (a) {
            var name = (a.getAttribute('aria-label') || a.textContent || '').trim();
            if (!name) out.push('a link with no name ' + a.outerHTML.slice(0, 60));
            if (!a.getAttribute('href')) out.push('a link with no href');
          });
        document.querySelectorAll('button').forEach(function (b) {
            if (!b.textContent.trim()) out.push('a button with no name');
          });
        document.querySelectorAll('[tabindex]').forEach(function (e) {
            if (+e.getAttribute('tabindex') > 0) out.push('a positive tabindex');
          });
        document.querySelectorAll('img').forEach(function (i) {
            if (!i.hasAttribute('alt')) out.push('an img without alt');
          });
        if (!document.querySelector('h1')) out.push('no h1');
        if (!document.querySelector('main')) out.push('no main');
        if (!document.querySelector('[role=search]')) out.push('no search landmark');
        return out;""")
    check(not problems, "accessibility: %s" % problems[:5])

    # 390 px wide: the filters come before the results, nothing wider
    # than the screen.
    d.set_window_size(390, 1400)
    d.get(BASE + "/?q=said")
    aside = d.find_element(By.CSS_SELECTOR, "aside").location["y"]
    hit = d.find_element(By.CSS_SELECTOR, "article.hit").location["y"]
    check(aside < hit, "390 px: the filters come after the results")
    width = d.execute_script("return document.documentElement.scrollWidth")
    check(width <= 390, "390 px: the page is %d px wide" % width)
    d.save_screenshot(ART + "/serve-browser-390.png")
finally:
    d.quit()

if failures:
    print("serve_browser_test: %d failures" % len(failures), file=sys.stderr)
    sys.exit(1)
print("serve_browser_test: all checks passed; screenshots in " + ART)
