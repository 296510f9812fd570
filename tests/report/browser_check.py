#!/usr/bin/env python3
"""The analysis report in a real browser (headless Chromium), run by ctest.

1. Runs the test program's "[report-full]" case: the report checks on one run of the real-data
   analysis, then writes the report where CLAIMLENS_REPORT_OUT says.
2. Screenshots it and decodes the PNG (zlib only): the page must not be blank.
3. Loads it in a test-only harness page whose script measures, inside the report, every
   `figure.chart svg` (size, position) and its text (labels outside the SVG, overlapping tick
   labels) and writes the measurements into the DOM, which `--dump-dom` prints. The report
   itself stays script-free.

usage: browser_check.py --writer TEST_REPORT --chromium CHROMIUM --out DIR
"""
import argparse
import html
import json
import os
import struct
import subprocess
import sys
import zlib

WIDTH = 1280

HARNESS = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="report" src="report.html" style="width:%(width)dpx;height:30000px;border:0"></iframe>
<pre id="result">pending</pre>
<script>
function box(r) { return {x: r.left, y: r.top, w: r.width, h: r.height}; }
document.getElementById('report').addEventListener('load', function () {
  var doc = this.contentDocument, out = {charts: [], error: null};
  try {
    doc.querySelectorAll('figure.chart').forEach(function (fig) {
      var svg = fig.querySelector('svg'), r = svg ? svg.getBoundingClientRect() : null;
      var item = {id: fig.id, figure: box(fig.getBoundingClientRect()),
                  svg: r ? box(r) : null, texts: 0, outside: [], overlaps: []};
      if (svg) {
        svg.querySelectorAll('text').forEach(function (t) {
          var b = t.getBoundingClientRect();
          item.texts++;
          if (b.width > 0 && (b.left < r.left - 1 || b.right > r.right + 1 ||
                              b.top < r.top - 1 || b.bottom > r.bottom + 1)) {
            item.outside.push(t.textContent);
          }
        });
        svg.querySelectorAll('g.axis').forEach(function (g) {
          var labels = Array.prototype.map.call(g.querySelectorAll('text'), function (t) {
            return {text: t.textContent, b: t.getBoundingClientRect()};
          });
          for (var i = 0; i < labels.length; i++) {
            for (var j = i + 1; j < labels.length; j++) {
              var a = labels[i].b, c = labels[j].b;
              if (a.left < c.right - 0.5 && c.left < a.right - 0.5 &&
                  a.top < c.bottom - 0.5 && c.top < a.bottom - 0.5) {
                item.overlaps.push(labels[i].text + ' / ' + labels[j].text);
              }
            }
          }
        });
      }
      out.charts.push(item);
    });
    out.scripts = doc.querySelectorAll('script').length;
    out.height = doc.documentElement.scrollHeight;
  } catch (e) { out.error = String(e); }
  document.getElementById('result').textContent = JSON.stringify(out);
});
</script></body></html>
"""


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def chromium(binary, args, timeout=300):
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", "--disable-extensions"] + args
    run = subprocess.run(cmd, capture_output=True, timeout=timeout)
    if run.returncode != 0:
        fail("chromium exited %d: %s" % (run.returncode, run.stderr.decode(errors="replace")[-2000:]))
    return run.stdout.decode("utf-8", errors="replace")


def decode_png(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG, unfiltered."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(path + " is not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                fail("unexpected PNG format depth %d colour type %d" % (depth, colour))
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def check_screenshot(binary, out):
    png = os.path.join(out, "report.png")
    chromium(binary, ["--screenshot=" + png, "--window-size=%d,3000" % WIDTH,
                      "file://" + os.path.join(out, "report.html")])
    width, height, bpp, rows = decode_png(png)
    if width != WIDTH:
        fail("screenshot is %d px wide, expected %d" % (width, WIDTH))
    colours, non_white, total = set(), 0, 0
    for line in rows[::3]:
        for x in range(0, width * bpp, bpp * 3):
            px = bytes(line[x:x + 3])
            colours.add(px)
            total += 1
            if px != b"\xff\xff\xff":
                non_white += 1
    share = non_white / total
    print("screenshot %dx%d: %d distinct colours, %.1f%% non-white" %
          (width, height, len(colours), 100 * share))
    if len(colours) < 50 or share < 0.2:
        fail("the screenshot looks blank (%d colours, %.1f%% non-white)" %
             (len(colours), 100 * share))


def check_layout(binary, out, expected):
    harness = os.path.join(out, "harness.html")
    with open(harness, "w", encoding="utf-8") as f:
        f.write(HARNESS % {"width": WIDTH})
    dom = chromium(binary, ["--allow-file-access-from-files", "--virtual-time-budget=20000",
                            "--window-size=%d,3000" % WIDTH, "--dump-dom", "file://" + harness])
    start = dom.find('<pre id="result">')
    end = dom.find("</pre>", start)
    if start < 0 or end < 0:
        fail("the harness wrote no result")
    text = html.unescape(dom[start + len('<pre id="result">'):end])
    if text == "pending":
        fail("the report did not finish loading in the harness")
    result = json.loads(text)
    if result.get("error"):
        fail("harness error: " + result["error"])
    if result.get("scripts"):
        fail("the report holds %d <script> elements" % result["scripts"])
    charts = {c["id"]: c for c in result["charts"]}
    problems = []
    for cid in expected:
        c = charts.get("chart-" + cid)
        if c is None:
            problems.append("chart-%s is missing" % cid)
            continue
        s = c["svg"]
        if s is None or s["w"] < 150 or s["h"] < 80:
            problems.append("chart-%s is not laid out (svg box %s)" % (cid, s))
            continue
        if s["x"] < 0 or s["x"] + s["w"] > WIDTH + 1:
            problems.append("chart-%s sticks out of the page: %s" % (cid, s))
        if c["texts"] < 3:
            problems.append("chart-%s has %d text elements" % (cid, c["texts"]))
        if c["outside"]:
            problems.append("chart-%s has text outside its SVG: %s" % (cid, c["outside"][:5]))
        if c["overlaps"]:
            problems.append("chart-%s has overlapping axis labels: %s" % (cid, c["overlaps"][:5]))
    if len(charts) != len(expected):
        problems.append("%d charts on the page, %d expected" % (len(charts), len(expected)))
    boxes = [(cid, c["figure"]) for cid, c in charts.items()]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i][1], boxes[j][1]
            if (a["x"] < b["x"] + b["w"] - 1 and b["x"] < a["x"] + a["w"] - 1 and
                    a["y"] < b["y"] + b["h"] - 1 and b["y"] < a["y"] + a["h"] - 1):
                problems.append("%s overlaps %s" % (boxes[i][0], boxes[j][0]))
    print("layout: %d charts measured, page %s px high" % (len(charts), result.get("height")))
    for cid, c in sorted(charts.items(), key=lambda kv: kv[1]["figure"]["y"]):
        s = c["svg"] or {}
        print("  %-34s svg %4.0f x %4.0f at (%4.0f, %5.0f), %3d texts" %
              (cid, s.get("w", 0), s.get("h", 0), s.get("x", 0), s.get("y", 0), c["texts"]))
    if problems:
        fail("; ".join(problems))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writer", required=True, help="the test_report program")
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--out", required=True, help="folder for the report, PNG and harness")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    report = os.path.join(args.out, "report.html")
    for stale in (report, report + ".charts"):
        if os.path.exists(stale):
            os.remove(stale)
    env = dict(os.environ, CLAIMLENS_REPORT_OUT=report)
    run = subprocess.run([args.writer, "[report-full]"], env=env, capture_output=True,
                         timeout=1800)
    if run.returncode != 0 or not os.path.exists(report):
        fail("the report checks or writing the report failed:\n" + run.stdout.decode(errors="replace")[-3000:])
    expected = [l for l in open(report + ".charts", encoding="utf-8").read().split("\n") if l]
    page = open(report, encoding="utf-8").read()
    for banned in ("http://", "https://", "<script"):
        if banned in page:
            fail("the report contains " + banned)
    print("report: %d bytes, %d charts expected" % (len(page.encode("utf-8")), len(expected)))
    check_screenshot(args.chromium, args.out)
    check_layout(args.chromium, args.out, expected)
    print("OK: the report renders in headless Chromium with all %d charts" % len(expected))


if __name__ == "__main__":
    main()
