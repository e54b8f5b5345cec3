"""In-process profile of Django views with cProfile: own time grouped by area, and main steps.

Shared by the benchmark sections: profile(paths, n, label) requests the paths with Django's test
client and prints where the time goes.
"""

import cProfile
import pstats
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

AREAS = [
    ("SQL round trips (psycopg, server)", ("psycopg", "{method 'execute' of")),
    ("Django ORM (compile queries, build models, prefetch)", ("django/db/",)),
    ("DRF (views, request, content negotiation, renderers)", ("rest_framework/",)),
    ("django-filter", ("django_filters/",)),
    ("JSON encoding", ("json/", "{method 'encode' of", "_json")),
    ("app code (articles/)", ("/articles/",)),
    ("rendering helpers (dates, numbers, timezone, translation)", ("django/utils/",)),
    (
        "middleware, URL resolving, HTTP (django/core, contrib, middleware)",
        (
            "django/core/",
            "django/middleware/",
            "django/contrib/",
            "django/urls/",
            "django/http/",
        ),
    ),
    ("test client (not in production)", ("django/test/",)),
]


PHASES = {
    "whole request (Django handler, middleware included)": (
        "django/core/handlers/base.py",
        "get_response",
    ),
    "DRF view (dispatch)": ("rest_framework/views.py", "dispatch"),
    "prefetch_related (every prefetch query, models built)": (
        "django/db/models/query.py",
        "prefetch_related_objects",
    ),
    "get_object (detail: main query and prefetches)": ("articles/views.py", "get_object"),
    "translations_of (detail)": ("articles/views.py", "translations_of"),
    "paginate_queryset (list: main query and prefetches)": (
        "rest_framework/pagination.py",
        "paginate_queryset",
    ),
    "article_detail dict building": ("articles/serializers.py", "article_detail"),
    "article_summary dict building": ("articles/serializers.py", "article_summary"),
    "JSON renderer": ("rest_framework/renderers.py", "render"),
}


def area_of(filename: str, funcname: str) -> str:
    label = f"{filename}:{funcname}"
    for area, needles in AREAS:
        if any(needle in label for needle in needles):
            return area
    return "other (Python stdlib, builtins)"


def profile(paths: list[str], n: int, label: str) -> dict:
    """cProfile n in-process requests; print own time grouped by area and the top functions."""
    from django.test import Client

    client = Client()
    for path in paths:
        client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for k in range(n):
        client.get(paths[k % len(paths)])
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(entry[2] for entry in stats.stats.values())
    by_area: dict[str, float] = defaultdict(float)
    rows = []
    for (filename, _line, funcname), (
        _cc,
        ncalls,
        tottime,
        cumtime,
        _callers,
    ) in stats.stats.items():
        by_area[area_of(filename, funcname)] += tottime
        rows.append((tottime, cumtime, ncalls, short(filename), funcname))
    test_client = by_area.pop("test client (not in production)", 0.0)
    served = total - test_client
    print(f"\nprofile of {n} in-process {label} requests (cProfile, own time by area):")
    summary = {}
    for area, seconds in sorted(by_area.items(), key=lambda item: -item[1]):
        share = seconds / served
        summary[area] = round(share, 3)
        print(f"  {share:6.1%}  {seconds * 1000 / n:6.2f} ms/req  {area}")
    print(f"  (test client overhead left out: {test_client * 1000 / n:.2f} ms/req)")
    print(f"  time inside the main steps ({label}, cumulative ms/req):")
    phases = {}
    for phase, (path_part, funcname) in PHASES.items():
        cumtime = sum(
            entry[3]
            for (filename, _line, name), entry in stats.stats.items()
            if name == funcname and path_part in filename
        )
        if cumtime:
            phases[phase] = round(cumtime * 1000 / n, 2)
            print(f"    {cumtime * 1000 / n:7.2f}  {phase}")
    print(f"  top functions by own time ({label}):")
    for tottime, cumtime, ncalls, filename, funcname in sorted(rows, reverse=True)[:15]:
        print(
            f"    {tottime * 1000 / n:6.3f} ms/req own {cumtime * 1000 / n:7.3f} cum "
            f"{ncalls / n:7.1f} calls/req  {filename}:{funcname}"
        )
    return {
        "ms_per_request_profiled": round(total * 1000 / n, 2),
        "share_by_area": summary,
        "phases_ms": phases,
    }


def short(filename: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/", "/lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename
