"""Tries /softmax in Swagger UI in headless Chromium, as a person would: a masked log-softmax,
answered as "application/json; nonfinite=null" (chosen in the response media type list), must
show null where the masked class is, parsed (Swagger UI shows -Infinity only as raw text).
Usage: swagger_ui_try_it.py BASE_URL  (needs Debian's python3-selenium and chromium-driver)"""
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

STRICT = "application/json; nonfinite=null"
base = sys.argv[1]
options = webdriver.ChromeOptions()
for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--disable-background-networking", f"--user-data-dir={tempfile.mkdtemp()}"):
    options.add_argument(flag)
browser = webdriver.Chrome(options=options)
try:
    browser.get(base + "/swagger-ui/index.html#/softmax/softmax")
    wait = WebDriverWait(browser, 30)
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, ".opblock.is-open textarea.body-param__text")
               or b.find_elements(By.CSS_SELECTOR, ".opblock.is-open .try-out__btn"))
    operation = browser.find_element(By.CSS_SELECTOR, ".opblock.is-open")
    button = operation.find_element(By.CSS_SELECTOR, ".try-out__btn")
    if "cancel" not in button.get_attribute("class"):
        browser.execute_script("arguments[0].click()", button)
    body = wait.until(lambda b: operation.find_element(By.CSS_SELECTOR, "textarea.body-param__text"))
    body.clear()
    body.send_keys('{"logits": [[1, 5, 0]], "mask": [[true, false, true]], "log": true}')
    offered = []
    for select in operation.find_elements(By.CSS_SELECTOR, "select"):
        names = [option.text for option in Select(select).options]
        if STRICT in names:
            offered = names
            Select(select).select_by_visible_text(STRICT)
    assert offered, "Swagger UI offers no response media type " + STRICT
    browser.execute_script("arguments[0].click()", operation.find_element(By.CSS_SELECTOR, ".execute"))
    shown = wait.until(lambda b: operation.find_elements(
        By.CSS_SELECTOR, ".live-responses-table .response-col_description pre"))[0]
    wait.until(lambda b: "log_probabilities" in shown.text)
    curl = operation.find_element(By.CSS_SELECTOR, ".curl-command").text
    text = " ".join(shown.text.split())
    assert "accept: " + STRICT in curl, "Swagger UI did not send Accept: " + STRICT + ": " + curl
    assert "-0.31326168751822286, null, -1.3132616875182228" in text, "Swagger UI shows " + text
    print(f"Swagger UI offers {offered} and shows a masked log-softmax as {text}")
finally:
    browser.quit()
