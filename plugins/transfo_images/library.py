"""One build's images: plans, the cache, parallel encoding, publishing into the output.

An `ImageLibrary` lives in the build's context (never in a module global);
templates reach it through the `responsive`, `share_image` and `image_focus`
globals. Encoded files are kept in the cache folder, keyed by the source's
content hash and the encoding parameters, so an unchanged image is never
encoded twice; each is checked before it is reused and the output receives
verified copies of them, never links (cache.py). An image reaches the output
only when a page being published shows it: nothing of content/ is copied as it is.

Each build is a new process: what a plan reads of an image (`planning.source_facts`) and which
cache files were found intact are kept from one build to the next (`KeptStatMemo`), each while
its file is as it was, so an edit's build reads neither every image nor every cache note again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from transfo_common import reads, written
from transfo_common.files import KeptStatMemo, content_key
from transfo_common.urls import absolute
from transfo_dossiers.api import dossier_part
from transfo_validation.problems import ContentError, Problem

from . import cache, planning, processing
from .planning import ResponsiveImage, normalise, plan_image
from .processing import (
    PIPELINE_VERSION,
    CardJob,
    CropJob,
    DerivativeJob,
    Focus,
    ImageReadError,
    Job,
    as_focus,
    plain,
    run_job,
)
from .settings import SHARE_SIZE, read_settings

logger = logging.getLogger(__name__)

SHARE_QUALITY = 85
TALL_DEFAULT_FOCUS = Focus(0.5, 1 / 3)
PROGRESS_FROM = 20  # jobs; fewer finish too fast to need progress lines
EXPECTED = "une image JPEG, PNG ou WebP lisible, dans content/ (ex. images/photo.jpg)"
DAMAGED = "Cache d'images : %s abîmé (contenu différent de celui enregistré), encodé à nouveau"


@dataclass(frozen=True)
class ShareImage:
    """The Open Graph image of a page: absolute URL, size, alt text."""

    url: str
    width: int
    height: int
    alt: str
    type: str
    cache_file: Path
    output_rel: str


@dataclass(frozen=True)
class PublishedImage:
    """The stripped JPEG published where an original would be offered (feed enclosures,
    structured data, logos): the largest derivative, absolute URL and size in bytes."""

    url: str
    path: str  # below the output folder
    length: int
    type: str = "image/jpeg"


def display(obj: object) -> str:
    """How an editor finds the object: its source file, relative to where the build runs."""
    source = getattr(obj, "source_path", None)
    if source:
        relative = os.path.relpath(source)
        return Path(source).as_posix() if relative.startswith("..") else Path(relative).as_posix()
    return plain(str(getattr(obj, "title", "") or obj))


def unreadable(owner: str, relative: str | None, error: ImageReadError, field: str = "Image") -> Problem:
    return Problem(owner, field, f"« {relative} » : {error} ; attendu : {EXPECTED}")


def card_kicker(obj: object) -> str:
    part = dossier_part(obj)
    if part:
        return f"Dossier · partie {part.number}/{part.total}"
    category = getattr(obj, "category", None)
    return str(getattr(category, "name", "") or getattr(obj, "kind_label", "") or "")


class ImageLibrary:
    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self.cfg = read_settings(settings)
        self._plans: dict[str, ResponsiveImage | ImageReadError] = {}
        self._shares: dict[tuple[str | None, Focus, str, str, str], tuple[ShareImage, CropJob | CardJob]] = {}
        self._seen: set[Path] = set()
        self._published: set[str] = set()
        self._pending: dict[str, ResponsiveImage] = {}
        self._font_key = ""
        root = planning.cache_root(self.cfg)
        code = Path(planning.__file__).read_bytes() + Path(processing.__file__).read_bytes()
        self._facts = KeptStatMemo(root / "source-facts.json", content_key(code, str(self.cfg.max_pixels)))
        self._intact = KeptStatMemo(root / "intact.json", content_key(Path(cache.__file__).read_bytes()))
        self.encoded = 0
        self.reused = 0
        self.seconds = 0.0

    # --- planning ----------------------------------------------------------------------------

    def plan(self, relative: str) -> ResponsiveImage:
        """The plan of `content/<relative>`, made once a build; each use is a read of the file by
        the page rendering (`transfo_common.reads`), since the page shows what the plan says."""
        reads.note(self.cfg.content_root / relative)
        if relative not in self._plans:
            try:
                self._plans[relative] = plan_image(self.cfg, relative, self._source_facts)
            except ImageReadError as error:
                self._plans[relative] = error
        plan = self._plans[relative]
        if isinstance(plan, ImageReadError):
            raise plan
        return plan

    def _source_facts(self, source: Path) -> planning.SourceFacts:
        def read(_path: str) -> list[str | int]:  # a JSON value, as the memo keeps it
            sha, (width, height) = planning.source_facts(self.cfg, source)
            return [sha, width, height]

        sha, width, height = self._facts.get(str(source), os.stat(source), read)
        return str(sha), (int(width), int(height))

    def _cache_state(self, cache_file: Path) -> str:
        """`cache.state`, kept while the file is as it was when found intact."""
        try:
            stat = os.stat(cache_file)
        except FileNotFoundError:
            return "missing"
        found = self._intact.get(str(cache_file), stat, lambda _path: cache.state(cache_file))
        if found != "intact":
            self._intact.forget(str(cache_file))
        return found

    def remember(self) -> None:
        """Keep this build's image facts and intact cache files for the next build."""
        self._facts.save()
        self._intact.save()

    def _fresh(self, files: Iterable[Path]) -> list[Path]:
        """The cache files not seen yet this build that need encoding (missing or damaged);
        counts the others."""
        missing: list[Path] = []
        for cache_file in files:
            if cache_file in self._seen:
                continue
            self._seen.add(cache_file)
            found = self._cache_state(cache_file)
            if found == "intact":
                self.reused += 1
                continue
            if found == "damaged":
                logger.info(DAMAGED, cache_file)
            missing.append(cache_file)
        return missing

    def _derivative_job(self, plan: ResponsiveImage, only: Path | None = None) -> DerivativeJob | None:
        wanted = {only} if only else set(self._fresh(d.cache_file for d in plan.derivatives))
        outputs = tuple(o for o in plan.outputs if o.cache_file in wanted)
        return DerivativeJob(plan.source, outputs, self.cfg.max_pixels) if outputs else None

    def _font_hash(self) -> str:
        if not self._font_key:
            digest = hashlib.sha256()
            for font in self.cfg.card_fonts:
                digest.update(font.read_bytes())
            self._font_key = digest.hexdigest()
        return self._font_key

    def _share(self, obj: object, title: str | None) -> tuple[ShareImage, CropJob | CardJob]:
        """The share image of `obj` (or of a page titled `title`) and the job that makes it."""
        relative = normalise(getattr(obj, "image", None)) if obj is not None else None
        given = getattr(obj, "image_focus", None)
        focus = as_focus(given)
        heading = plain(str(getattr(obj, "title", "") or title or self.cfg.site_subtitle))
        kicker = card_kicker(obj) if obj is not None else ""
        memo = (relative, focus, heading, kicker, str(getattr(obj, "image_alt", "") or ""))
        if relative:
            reads.note(self.cfg.content_root / relative)  # a crop of it, even when made before
        if memo in self._shares:
            return self._shares[memo]
        share_dir = f"{self.cfg.output_dir}/share"
        job: CropJob | CardJob  # a crop of the lead image, else a card drawn from the title
        if relative:
            plan = self.plan(relative)
            if not given and plan.source_size[1] > plan.source_size[0]:
                focus = TALL_DEFAULT_FOCUS  # faces sit in the upper third of upright photos
            key = hashlib.sha256(
                f"crop|{plan.sha}|{focus.key}|{SHARE_SIZE}|{SHARE_QUALITY}|{PIPELINE_VERSION}".encode()
            ).hexdigest()
            cache_file = planning.cache_root(self.cfg) / "share" / f"{key}.jpg"
            output_rel = f"{share_dir}/{planning.safe_stem(Path(relative).stem)}.{key[:10]}.jpg"
            job = CropJob(plan.source, focus, SHARE_SIZE, SHARE_QUALITY, cache_file, self.cfg.max_pixels)
            alt = plain(str(getattr(obj, "image_alt", "") or heading))
        else:
            colours = tuple(sorted(self.cfg.colours.items()))
            key = hashlib.sha256(json.dumps(
                ["card:wordmark", heading, kicker, self.cfg.site_name, self.cfg.site_subtitle,
                 self._font_hash(), colours, SHARE_SIZE, SHARE_QUALITY, PIPELINE_VERSION]
            ).encode()).hexdigest()
            cache_file = planning.cache_root(self.cfg) / "share" / f"{key}.jpg"
            output_rel = f"{share_dir}/{planning.safe_stem(heading)}.{key[:10]}.jpg"
            footer = "" if heading == plain(self.cfg.site_subtitle) else self.cfg.site_subtitle
            job = CardJob(heading, kicker, self.cfg.site_name, footer,
                          self.cfg.card_fonts, colours, SHARE_SIZE, SHARE_QUALITY, cache_file)
            alt = heading
        share = ShareImage(absolute(self.settings, output_rel), SHARE_SIZE[0], SHARE_SIZE[1], alt,
                           "image/jpeg", cache_file, output_rel)
        self._shares[memo] = (share, job)
        return share, job

    # --- encoding ----------------------------------------------------------------------------

    def _run(self, jobs: dict[Job, set[str]]) -> list[Problem]:
        """Encode `jobs` (job -> owners) on every core; one problem per unreadable image."""
        if not jobs:
            return []
        started = time.perf_counter()
        total, done = len(jobs), 0
        problems: list[Problem] = []
        step = max(1, total // 10)

        def finished(job: Job, outcome: int | ImageReadError) -> None:
            nonlocal done
            done += 1
            if isinstance(outcome, ImageReadError):
                source = getattr(job, "source", None)
                shown = os.path.relpath(source, self.cfg.content_root) if source else "?"
                for owner in sorted(jobs[job]):
                    problems.append(Problem(owner, "Image", f"« {Path(shown).as_posix()} » : "
                                            f"{outcome} ; attendu : {EXPECTED}"))
            else:
                self.encoded += outcome
            if total >= PROGRESS_FROM and (done % step == 0 or done == total):
                logger.info("Images : %d/%d traitées", done, total)

        workers = min(self.cfg.workers, total)
        if workers == 1:
            for job in jobs:
                try:
                    finished(job, run_job(job))
                except ImageReadError as error:
                    finished(job, error)
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(run_job, job): job for job in jobs}
                for future in as_completed(futures):
                    try:
                        finished(futures[future], future.result())
                    except ImageReadError as error:
                        finished(futures[future], error)
        self.seconds += time.perf_counter() - started
        return problems

    def _encode_now(self, job: Job | None, owner: str) -> None:
        if job is None:
            return
        problems = self._run({job: {owner}})
        if problems:
            raise ContentError(problems)

    def prepare(self, objects: Iterable[object], home_title: str | None = None) -> None:
        """Encode, on every core, what the published content needs: derivatives, share images.

        Raises ContentError naming each object whose image cannot be read.
        """
        jobs: dict[Job, set[str]] = {}
        problems: list[Problem] = []

        def add(job: Job | None, owner: str) -> None:
            if job is not None:
                jobs.setdefault(job, set()).add(owner)

        for obj in objects:
            owner = display(obj)
            for text in getattr(obj, "transfo_image_problems", ()) or ():
                problems.append(Problem(owner, "corps", f"{text} ; attendu : {EXPECTED}"))
            relative = normalise(getattr(obj, "image", None))
            try:
                if relative:
                    add(self._derivative_job(self.plan(relative)), owner)
                if getattr(obj, "title", None):
                    share, job = self._share(obj, None)
                    if share.cache_file in self._fresh([share.cache_file]):
                        add(job, owner)
            except ImageReadError as error:
                problems.append(unreadable(owner, relative, error))
            for body in getattr(obj, "transfo_body_images", ()) or ():
                try:
                    plan = self.plan(body)
                except ImageReadError as error:
                    problems.append(unreadable(owner, body, error, field="corps"))
                    continue
                add(self._derivative_job(plan), owner)
                self._pending[body] = plan
        if home_title is not None:
            share, job = self._share(None, home_title)
            if share.cache_file in self._fresh([share.cache_file]):
                add(job, "page d'accueil")
        if problems:
            raise ContentError(problems)
        problems = self._run(jobs)
        if problems:
            raise ContentError(problems)
        self.remember()

    # --- output ------------------------------------------------------------------------------

    def _publish(self, cache_file: Path, output_rel: str, remake: Callable[[], Job | None],
                 owner: str) -> None:
        """Copy a cache file into the output; a damaged one is encoded again (`remake()`, its job)
        first, with a line naming it. Noted as one of the build's files at every use, not only the
        first: each page lists the images it shows, in whichever process it renders
        (`written.captured`)."""
        target = self.cfg.output_path / output_rel
        if output_rel not in self._published:
            try:
                cache.publish_file(cache_file, target)
            except cache.DamagedCacheFile:
                logger.info(DAMAGED, cache_file)
                self._encode_now(remake(), owner)
                cache.publish_file(cache_file, target)
            self._published.add(output_rel)
        written.note(str(target))

    def publish_plan(self, plan: ResponsiveImage, owner: str = "") -> None:
        for derivative in plan.derivatives:
            self._publish(derivative.cache_file, derivative.output_rel,
                          partial(self._derivative_job, plan, only=derivative.cache_file),
                          owner or plan.path)

    def publish_pending(self) -> None:
        """Copy the derivatives of images in article bodies into the output."""
        for plan in self._pending.values():
            self.publish_plan(plan)
        self._pending.clear()

    def report(self) -> None:
        # No count of published files: pages publish theirs while they render, later and
        # possibly in other processes (transfo_perf's parallel rendering).
        logger.info(
            "Images : %d fichier(s) encodé(s) en %.1f s, %d repris du cache (%s)",
            self.encoded, self.seconds, self.reused, self.cfg.cache_path,
        )
        self.remember()  # and the images that only templates showed

    # --- template globals --------------------------------------------------------------------

    def responsive(self, image: object, owner: str = "") -> ResponsiveImage | None:
        """`responsive(article)` or `responsive("images/x.jpg")`: the derivatives, encoded and published."""
        obj = None if isinstance(image, str) or image is None else image
        relative = normalise(getattr(obj, "image", None) if obj is not None else image)
        if not relative:
            return None
        owner = owner or (display(obj) if obj is not None else relative)
        try:
            plan = self.plan(relative)
        except ImageReadError as error:
            raise ContentError([unreadable(owner, relative, error)]) from None
        self._encode_now(self._derivative_job(plan), owner)
        self.publish_plan(plan, owner)
        return plan

    def published_copy(self, image: object, owner: str = "") -> PublishedImage | None:
        """`published_copy("images/x.jpg")`: the image's largest JPEG derivative, published."""
        plan = self.responsive(image, owner)
        if plan is None:
            return None
        largest = max((d for d in plan.derivatives if d.fmt == "jpeg"), key=lambda d: d.width)
        return PublishedImage(absolute(self.settings, largest.output_rel), largest.output_rel,
                              os.path.getsize(largest.cache_file))

    def share_image(self, obj: object = None, title: str | None = None) -> ShareImage:
        """The 1200×630 share image of `obj`: its lead image cropped at the focal point, else a card."""
        owner = display(obj) if obj is not None else (title or "page")
        try:
            share, job = self._share(obj, title)
        except ImageReadError as error:
            relative = normalise(getattr(obj, "image", None))
            raise ContentError([unreadable(owner, relative, error)]) from None
        if share.cache_file in self._fresh([share.cache_file]):
            self._encode_now(job, owner)
        self._publish(share.cache_file, share.output_rel, lambda: job, owner)
        return share

    def image_focus(self, obj: object) -> str:
        """CSS classes placing crops of the object's image ("" when the centre is right)."""
        value = getattr(obj, "image_focus", None)
        if value:
            return as_focus(value).css_classes
        relative = normalise(getattr(obj, "image", None))
        try:
            plan = self.plan(relative) if relative else None
        except ImageReadError:
            return ""
        if plan and plan.source_size[1] > plan.source_size[0]:
            return TALL_DEFAULT_FOCUS.css_classes
        return ""
