"""Renditions benchmark: our pipeline versus plain Pillow, from a 12-megapixel JPEG.

With NEWSROOM_C2PA_CERT set, ours also signs each rendition (c2pa.py): `pipeline_signed`.

Ours decodes once in JPEG draft mode at the scale the largest rendition needs and derives the
smaller sizes from it; the baseline does what a naive loop does: for each width,
`Image.open` + `thumbnail()`. Both encode the same outputs (WebP and JPEG at each width, same
quality settings), so the difference is decoding and resizing.

Time: median of several rounds, alternating the two, in this process. Peak memory: each
variant runs once in a fresh subprocess that reports its own resident-memory high-water mark
(VmHWM; Pillow's pixel buffers are not visible to tracemalloc), and how much the work raised it.

    python bench/renditions.py          # prints the figures
"""

from __future__ import annotations

import functools
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from media_credits import c2pa, renditions, xmp  # noqa: E402

SOURCE_SIZE = (4000, 3000)  # 12 megapixels, a common camera size
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
XMP = xmp.build_xmp(
    {
        "digital_source_type": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
        "credit_line": "Bench / newsroom",
        "copyright_notice": "© newsroom",
    }
)


def sign_source(data: bytes) -> bytes:
    """The source as a camera that signs would deliver it: with a c2pa.created manifest."""
    import c2pa as sdk

    chain_pem, key_pem, _ = _chain()
    manifest = {
        "claim_generator_info": [{"name": "bench camera"}],
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": (
                                "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
                            ),
                        }
                    ]
                },
            }
        ],
    }
    signer = sdk.Signer.from_info(sdk.C2paSignerInfo(b"es256", chain_pem, key_pem, None))
    out = io.BytesIO()
    sdk.Builder(manifest).sign(signer, "image/jpeg", io.BytesIO(data), out)
    return out.getvalue()


def make_source() -> bytes:
    """A photo-like 12 MP JPEG: gradients, shapes and fine noise (so it does not compress to
    nothing and decoding costs what a real photo costs). The same bytes on every run."""
    width, height = SOURCE_SIZE
    base = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize(SOURCE_SIZE),
            Image.radial_gradient("L").resize(SOURCE_SIZE),
            Image.linear_gradient("L").rotate(90).resize(SOURCE_SIZE),
        ],
    )
    draw = ImageDraw.Draw(base)
    for i in range(60):
        x, y = (i * 613) % width, (i * 379) % height
        draw.ellipse([x, y, x + 300, y + 200], outline=(255 - i * 3, i * 4, 120), width=9)
    noise = Image.effect_noise(SOURCE_SIZE, 40).convert("RGB")
    picture = Image.blend(base, noise, 0.25).filter(ImageFilter.DETAIL)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


def pipeline(data: bytes) -> int:
    """Ours: exactly what the rendition service runs."""
    with Image.open(io.BytesIO(data)) as im:
        width, height = im.size
    plans = renditions.plan_renditions(width, height)
    return sum(len(out.content) for out in renditions.make_renditions(data, plans, xmp=XMP))


def _signer(data: bytes) -> c2pa.RenditionSigner:
    chain_pem, key_pem, _ = _chain()
    return c2pa.RenditionSigner(
        credentials=c2pa.SigningCredentials(chain_pem, key_pem),
        original=data,
        original_format="JPEG",
        original_title="source.jpg",
        digital_source_type="http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture",
    )


@functools.cache
def _chain() -> tuple[bytes, bytes, bytes]:
    return c2pa.throwaway_signing_chain(organisation="bench")


def pipeline_signed(data: bytes) -> int:
    """Ours with NEWSROOM_C2PA_CERT set: each rendition signed after its XMP is embedded,
    the original (with its own manifest) as the parent ingredient."""
    with Image.open(io.BytesIO(data)) as im:
        width, height = im.size
    plans = renditions.plan_renditions(width, height)
    signer = _signer(data)
    return sum(
        len(out.content) for out in renditions.make_renditions(data, plans, xmp=XMP, signer=signer)
    )


def baseline(data: bytes) -> int:
    """Plain Pillow: open and thumbnail() per size, then the same two encodes."""
    total = 0
    with Image.open(io.BytesIO(data)) as probe:
        width, height = probe.size
    for plan_width in renditions.rendition_widths(width):
        with Image.open(io.BytesIO(data)) as im:
            im.thumbnail((plan_width, height))
            im = im.convert("RGB")
            for fmt in renditions.OUTPUT_FORMATS:
                total += len(renditions.encode(im, fmt, xmp=XMP))
    return total


VARIANTS = {"pipeline": pipeline, "pipeline_signed": pipeline_signed, "baseline": baseline}


def _peak_rss_kib() -> int:
    """This process's resident-memory high-water mark. VmHWM, unlike ru_maxrss, starts afresh
    at exec, so the parent's own peak does not leak into the child's figure."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(variant: str, source: str) -> None:
    data = Path(source).read_bytes()
    before = _peak_rss_kib()
    VARIANTS[variant](data)
    after = _peak_rss_kib()
    print(json.dumps({"peak_kib": after, "peak_increase_kib": after - before}))


def _peak_memory(variant: str, source: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", variant, str(source)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def run() -> dict:
    data = sign_source(make_source())
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for fn in VARIANTS.values():  # warm up both (imports, codec tables)
        fn(data)
    for _ in range(ROUNDS):
        for name, fn in VARIANTS.items():
            start = time.perf_counter()
            fn(data)
            times[name].append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source.jpg"
        source.write_bytes(data)
        memory = {name: _peak_memory(name, source) for name in VARIANTS}
    median = {name: statistics.median(values) for name, values in times.items()}
    return {
        "source": f"{SOURCE_SIZE[0]}x{SOURCE_SIZE[1]} JPEG, {len(data) / 1e6:.1f} MB",
        "renditions": len(renditions.plan_renditions(*SOURCE_SIZE)),
        "rounds": ROUNDS,
        "pipeline_seconds": round(median["pipeline"], 3),
        "baseline_seconds": round(median["baseline"], 3),
        "time_ratio": round(median["pipeline"] / median["baseline"], 2),
        "signed_seconds": round(median["pipeline_signed"], 3),
        "signing_seconds_per_rendition": round(
            (median["pipeline_signed"] - median["pipeline"])
            / len(renditions.plan_renditions(*SOURCE_SIZE)),
            4,
        ),
        "signed_time_ratio": round(median["pipeline_signed"] / median["baseline"], 2),
        "signed_vs_unsigned": round(median["pipeline_signed"] / median["pipeline"], 2),
        "pipeline_peak_rss_mib": round(memory["pipeline"]["peak_kib"] / 1024, 1),
        "signed_peak_rss_mib": round(memory["pipeline_signed"]["peak_kib"] / 1024, 1),
        "baseline_peak_rss_mib": round(memory["baseline"]["peak_kib"] / 1024, 1),
        "pipeline_peak_increase_mib": round(memory["pipeline"]["peak_increase_kib"] / 1024, 1),
        "baseline_peak_increase_mib": round(memory["baseline"]["peak_increase_kib"] / 1024, 1),
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
        return
    report(run())


def report(figures: dict) -> None:
    print("renditions (12 MP JPEG -> 4 widths x WebP + JPEG)")
    for key, value in figures.items():
        print(f"  {key:28} {value}")
    target_time = figures["time_ratio"] <= 0.8
    target_memory = figures["pipeline_peak_rss_mib"] <= figures["baseline_peak_rss_mib"]
    print(f"  target time <= 0.8 x baseline: {'met' if target_time else 'NOT met'}")
    print(f"  target peak memory <= baseline: {'met' if target_memory else 'NOT met'}")
    target_signed = figures["signed_time_ratio"] <= 1.0
    print(f"  target signed <= 1.0 x baseline: {'met' if target_signed else 'NOT met'}")


# The runner (bench/run.py) prints a section's figures with this after run().
summary = report


def table(figures: dict) -> list[dict]:
    """The headline figures for the runner's final table."""
    memory_ok = figures["pipeline_peak_rss_mib"] <= figures["baseline_peak_rss_mib"]
    return [
        {
            "figure": "unsigned time / plain Pillow",
            "value": figures["time_ratio"],
            "target": "<= 0.8",
            "verdict": "ok" if figures["time_ratio"] <= 0.8 else "ABOVE",
        },
        {
            "figure": "signed time / plain Pillow",
            "value": figures["signed_time_ratio"],
            "target": "<= 1.0",
            "verdict": "ok" if figures["signed_time_ratio"] <= 1.0 else "ABOVE",
        },
        {
            "figure": "peak RSS MiB: ours / plain Pillow",
            "value": f"{figures['pipeline_peak_rss_mib']} / {figures['baseline_peak_rss_mib']}",
            "target": "<=",
            "verdict": "ok" if memory_ok else "ABOVE",
        },
    ]


if __name__ == "__main__":
    main()
