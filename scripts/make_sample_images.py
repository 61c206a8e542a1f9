#!/usr/bin/env python3
"""Génère les images d'illustration du contenu d'exemple de Transfo.

Une image JPEG par article, dans content/images/ : compositions abstraites ou
scènes stylisées, sans texte, dans la palette chaude du magazine. Le tirage
aléatoire est initialisé à partir du nom de chaque image : deux exécutions
produisent exactement les mêmes octets.

Usage (depuis la racine du dépôt) :

    .venv/bin/python scripts/make_sample_images.py

Seul Pillow est nécessaire.
"""

from __future__ import annotations

import hashlib
import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "content" / "images"

LANDSCAPE = (1600, 900)
PORTRAIT = (900, 1200)
QUALITY = 82
MAX_BYTES = 250 * 1024
SS = 2  # sur-échantillonnage : on dessine en 2x puis on réduit (bords lissés)

C = {
    "teal": (11, 85, 99),
    "teal_dark": (7, 56, 66),
    "teal_light": (86, 150, 158),
    "orange": (232, 131, 58),
    "orange_light": (243, 176, 120),
    "cream": (244, 239, 230),
    "green": (47, 125, 79),
    "green_light": (126, 178, 128),
    "plum": (107, 45, 92),
    "plum_light": (160, 96, 142),
    "sand": (226, 196, 150),
    "brown": (141, 92, 52),
    "gold": (240, 185, 75),
    "rose": (214, 122, 110),
    "ink": (26, 40, 46),
}


def rgba(name_or_rgb, alpha=255):
    rgb = C[name_or_rgb] if isinstance(name_or_rgb, str) else name_or_rgb
    return (*rgb, alpha)


def mix(a, b, t):
    a = C[a] if isinstance(a, str) else a
    b = C[b] if isinstance(b, str) else b
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


class Canvas:
    """Toile RGBA sur-échantillonnée, avec quelques primitives utiles."""

    def __init__(self, size, rng):
        self.size = size
        self.w, self.h = size[0] * SS, size[1] * SS
        self.rng = rng
        self.img = Image.new("RGBA", (self.w, self.h), rgba("cream"))

    # -- coordonnées relatives -------------------------------------------
    def x(self, f):
        return round(f * self.w)

    def y(self, f):
        return round(f * self.h)

    def u(self, f):
        """Longueur relative au plus petit côté."""
        return round(f * min(self.w, self.h))

    # -- calques ------------------------------------------------------------
    def layer(self):
        return Image.new("RGBA", (self.w, self.h), (0, 0, 0, 0))

    def add(self, layer, blur=0):
        if blur:
            layer = layer.filter(ImageFilter.GaussianBlur(blur * SS))
        self.img.alpha_composite(layer)

    def draw(self):
        return ImageDraw.Draw(self.img)

    # -- fonds ----------------------------------------------------------------
    def gradient(self, c1, c2, angle=90):
        """Dégradé linéaire ; angle 90 = de haut (c1) en bas (c2)."""
        d = math.ceil(math.hypot(self.w, self.h)) + 4
        mask = Image.linear_gradient("L").resize((d, d), Image.BILINEAR)
        mask = mask.rotate(angle - 90, resample=Image.BILINEAR)
        left, top = (d - self.w) // 2, (d - self.h) // 2
        mask = mask.crop((left, top, left + self.w, top + self.h))
        a = Image.new("RGBA", (self.w, self.h), rgba(c1))
        b = Image.new("RGBA", (self.w, self.h), rgba(c2))
        self.img = Image.composite(b, a, mask)

    def glow(self, cx, cy, r, color, alpha=150, blur=60):
        lay = self.layer()
        ImageDraw.Draw(lay).ellipse((cx - r, cy - r, cx + r, cy + r), fill=rgba(color, alpha))
        self.add(lay, blur=blur)

    # -- export ---------------------------------------------------------------
    def save(self, path):
        out = self.img.convert("RGB").resize(self.size, Image.LANCZOS)
        out.save(path, "JPEG", quality=QUALITY, optimize=True)


def circle(d, cx, cy, r, **kw):
    d.ellipse((cx - r, cy - r, cx + r, cy + r), **kw)


def person(d, cx, base_y, s, body, head, with_neck=False):
    """Silhouette de buste vue de face ou de dos : tête + épaules arrondies."""
    d.rounded_rectangle(
        (cx - 0.62 * s, base_y - 1.05 * s, cx + 0.62 * s, base_y + 0.6 * s),
        radius=round(0.42 * s),
        fill=body,
    )
    circle(d, cx, base_y - 1.45 * s, 0.36 * s, fill=head)


def gear(d, cx, cy, r, teeth, fill, hole=None, rot=0.0):
    pts = []
    n = teeth * 4
    for i in range(n):
        a = rot + 2 * math.pi * i / n
        rr = r if (i % 4) in (0, 1) else r * 0.8
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill=fill)
    if hole:
        circle(d, cx, cy, r * 0.32, fill=hole)


def wave_band(cv, d, y0, amp, thick, color, phase=0.0, freq=1.5, x_from=0.0, x_to=1.0):
    top, bottom = [], []
    steps = 80
    for i in range(steps + 1):
        t = i / steps
        xf = x_from + (x_to - x_from) * t
        yy = y0 + amp * math.sin(phase + freq * 2 * math.pi * t)
        top.append((cv.x(xf), yy))
        bottom.append((cv.x(xf), yy + thick))
    d.polygon(top + bottom[::-1], fill=color)


# ---------------------------------------------------------------------------
# Scènes
# ---------------------------------------------------------------------------


def scene_network(cv):
    """Réseau : un grand disque central relié à des nœuds colorés."""
    rng = cv.rng
    cv.gradient("teal", "teal_dark", angle=60)
    cv.glow(cv.x(0.82), cv.y(0.85), cv.u(0.45), "teal_light", 90, 80)
    cx, cy = cv.x(0.5), cv.y(0.5)
    nodes = []
    n = 14
    for i in range(n):
        a = 2 * math.pi * i / n + rng.uniform(-0.15, 0.15)
        rad = cv.u(rng.uniform(0.3, 0.48))
        nodes.append((cx + rad * 1.55 * math.cos(a), cy + rad * math.sin(a)))
    lines = cv.layer()
    ld = ImageDraw.Draw(lines)
    for i, (nx, ny) in enumerate(nodes):
        ld.line((cx, cy, nx, ny), fill=rgba("cream", 110), width=cv.u(0.006))
        mx, my = nodes[(i + 1) % n]
        ld.line((nx, ny, mx, my), fill=rgba("cream", 70), width=cv.u(0.004))
    cv.add(lines)
    d = cv.draw()
    circle(d, cx, cy, cv.u(0.17), fill=rgba("cream"))
    circle(d, cx, cy, cv.u(0.12), fill=rgba("orange"))
    circle(d, cx, cy, cv.u(0.06), fill=rgba("teal"))
    colors = ["cream", "orange", "green_light", "plum_light", "gold"]
    for nx, ny in nodes:
        circle(d, nx, ny, cv.u(rng.uniform(0.025, 0.05)), fill=rgba(rng.choice(colors)))


def scene_open_doors(cv):
    """Une rue de façades colorées, toutes portes ouvertes."""
    rng = cv.rng
    cv.gradient("cream", "sand")
    circle(cv.draw(), cv.x(0.84), cv.y(0.2), cv.u(0.12), fill=rgba("orange_light"))
    d = cv.draw()
    ground = cv.y(0.86)
    d.rectangle((0, ground, cv.w, cv.h), fill=rgba("green"))
    colors = ["teal", "plum", "orange", "green_light", "rose"]
    n = 5
    gap = cv.x(0.015)
    width = (cv.w - gap * (n + 1)) / n
    for i in range(n):
        x0 = gap + i * (width + gap)
        x1 = x0 + width
        top = cv.y(rng.uniform(0.3, 0.45))
        col = rgba(colors[i])
        d.rectangle((x0, top, x1, ground), fill=col)
        if i % 2 == 0:
            d.polygon([(x0 - gap / 2, top), ((x0 + x1) / 2, top - cv.y(0.12)), (x1 + gap / 2, top)], fill=rgba(mix(colors[i], "ink", 0.25)))
        else:
            d.rectangle((x0 - gap / 2, top - cv.y(0.025), x1 + gap / 2, top), fill=rgba(mix(colors[i], "ink", 0.25)))
        # fenêtres
        for wx in (0.22, 0.62):
            wx0 = x0 + width * wx
            d.rectangle((wx0, top + cv.y(0.06), wx0 + width * 0.18, top + cv.y(0.15)), fill=rgba("cream"))
        # porte ouverte : embrasure lumineuse + battant en perspective
        dx0 = x0 + width * 0.34
        dx1 = x0 + width * 0.66
        dtop = ground - cv.y(0.26)
        d.rectangle((dx0, dtop, dx1, ground), fill=rgba("gold"))
        leaf = (dx1 - dx0) * 0.55
        d.polygon([(dx0, dtop), (dx0 - leaf, dtop + cv.y(0.03)), (dx0 - leaf, ground - cv.y(0.01)), (dx0, ground)],
                  fill=rgba(mix(colors[i], "ink", 0.4)))
    # lumière qui se répand sur le trottoir
    lay = cv.layer()
    ld = ImageDraw.Draw(lay)
    for i in range(n):
        x0 = gap + i * (width + gap)
        ld.polygon([(x0 + width * 0.34, ground), (x0 + width * 0.66, ground),
                    (x0 + width * 0.85, cv.h), (x0 + width * 0.15, cv.h)], fill=rgba("gold", 120))
    cv.add(lay, blur=4)


def scene_bunting(cv):
    """Guirlandes de fanions au-dessus d'une foule de silhouettes."""
    rng = cv.rng
    cv.gradient("teal", "green", angle=80)
    cv.glow(cv.x(0.5), cv.y(0.1), cv.u(0.5), "gold", 80, 90)
    d = cv.draw()
    flag_colors = ["orange", "cream", "plum_light", "gold", "rose"]
    for row, (ya, sag) in enumerate(((0.06, 0.12), (0.18, 0.1))):
        pts = []
        steps = 60
        for i in range(steps + 1):
            t = i / steps
            pts.append((cv.x(-0.02 + 1.04 * t), cv.y(ya + sag * 4 * t * (1 - t))))
        d.line(pts, fill=rgba("cream"), width=cv.u(0.004))
        nflags = 14
        for k in range(nflags):
            t0 = (k + 0.15) / nflags
            t1 = (k + 0.85) / nflags
            p0 = (cv.x(-0.02 + 1.04 * t0), cv.y(ya + sag * 4 * t0 * (1 - t0)))
            p1 = (cv.x(-0.02 + 1.04 * t1), cv.y(ya + sag * 4 * t1 * (1 - t1)))
            tip = ((p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2 + cv.y(0.09))
            d.polygon([p0, p1, tip], fill=rgba(flag_colors[(k + row * 2) % len(flag_colors)]))
    bodies = ["plum", "orange", "cream", "teal_dark", "sand", "rose", "green_light"]
    heads = ["brown", "sand", (92, 60, 40), (200, 150, 110)]
    for row, (base, scale) in enumerate(((0.78, 0.085), (0.9, 0.1), (1.02, 0.115))):
        count = 9 - row
        for k in range(count):
            cx = cv.x((k + 0.5 + rng.uniform(-0.25, 0.25)) / count)
            s = cv.u(scale * rng.uniform(0.9, 1.1))
            person(d, cx, cv.y(base), s, rgba(rng.choice(bodies)), rgba(rng.choice(heads)))


def scene_shelves(cv):
    """Étagères d'épicerie : bocaux, fruits et caisses."""
    rng = cv.rng
    cv.gradient("cream", mix("cream", "sand", 0.6))
    d = cv.draw()
    fruit = ["orange", "green", "plum", "gold", "rose"]
    for level, yy in enumerate((0.32, 0.6, 0.88)):
        shelf_y = cv.y(yy)
        x = cv.x(0.04)
        while x < cv.x(0.93):
            kind = rng.choice(["jar", "jar", "fruit", "crate"])
            if kind == "jar":
                wj = cv.u(rng.uniform(0.08, 0.11))
                hj = cv.u(rng.uniform(0.12, 0.17))
                d.rounded_rectangle((x, shelf_y - hj, x + wj, shelf_y), radius=cv.u(0.02), fill=rgba(mix("cream", "teal_light", 0.35)))
                d.rounded_rectangle((x + wj * 0.1, shelf_y - hj * 0.7, x + wj * 0.9, shelf_y - hj * 0.05), radius=cv.u(0.015), fill=rgba(rng.choice(fruit)))
                d.rectangle((x + wj * 0.05, shelf_y - hj - cv.u(0.025), x + wj * 0.95, shelf_y - hj + cv.u(0.005)), fill=rgba(rng.choice(["teal", "plum", "green"])))
                x += wj + cv.u(0.025)
            elif kind == "fruit":
                r = cv.u(rng.uniform(0.028, 0.036))
                col = rgba(rng.choice(fruit))
                for j in range(3):
                    circle(d, x + r + j * 1.9 * r, shelf_y - r, r, fill=col)
                circle(d, x + 2.9 * r, shelf_y - 2.6 * r, r, fill=col)
                x += 6 * r + cv.u(0.025)
            else:
                wc = cv.u(rng.uniform(0.16, 0.2))
                hc = cv.u(0.09)
                for j in range(4):
                    circle(d, x + wc * (0.15 + 0.23 * j), shelf_y - hc, cv.u(0.032), fill=rgba(rng.choice(fruit)))
                d.rectangle((x, shelf_y - hc, x + wc, shelf_y), fill=rgba("brown"))
                for j in range(1, 3):
                    d.line((x, shelf_y - hc * j / 3, x + wc, shelf_y - hc * j / 3), fill=rgba(mix("brown", "ink", 0.35)), width=cv.u(0.006))
                x += wc + cv.u(0.025)
        d.rectangle((0, shelf_y, cv.w, shelf_y + cv.u(0.035)), fill=rgba(mix("brown", "sand", 0.3)))
    # montants latéraux
    d.rectangle((0, 0, cv.x(0.02), cv.h), fill=rgba("brown"))
    d.rectangle((cv.x(0.98), 0, cv.w, cv.h), fill=rgba("brown"))


def scene_night_market(cv):
    """Chalets de marché sous une guirlande lumineuse, la nuit."""
    rng = cv.rng
    cv.gradient("ink", "teal", angle=90)
    d = cv.draw()
    for _ in range(70):
        circle(d, rng.uniform(0, cv.w), rng.uniform(0, cv.y(0.45)), cv.u(rng.uniform(0.002, 0.005)), fill=rgba("cream", 255))
    ground = cv.y(0.84)
    roofs = ["orange", "plum_light", "green_light", "rose"]
    n = 4
    width = cv.w / n
    for i in range(n):
        x0 = i * width + cv.x(0.02)
        x1 = (i + 1) * width - cv.x(0.02)
        top = cv.y(0.5)
        d.rectangle((x0, top, x1, ground), fill=rgba(mix("brown", "ink", 0.2)))
        # comptoir éclairé
        d.rectangle((x0 + cv.x(0.02), top + cv.y(0.06), x1 - cv.x(0.02), ground - cv.y(0.12)), fill=rgba("gold"))
        d.rectangle((x0, ground - cv.y(0.12), x1, ground - cv.y(0.09)), fill=rgba("sand"))
        # toit rayé
        d.polygon([(x0 - cv.x(0.015), top), ((x0 + x1) / 2, top - cv.y(0.16)), (x1 + cv.x(0.015), top)], fill=rgba(roofs[i]))
        for k in range(1, 4):
            t = k / 4
            d.line(((x0 + x1) / 2, top - cv.y(0.16), x0 - cv.x(0.015) + (x1 - x0 + cv.x(0.03)) * t, top), fill=rgba("cream"), width=cv.u(0.008))
    d.rectangle((0, ground, cv.w, cv.h), fill=rgba("cream"))
    # guirlande
    lay = cv.layer()
    ld = ImageDraw.Draw(lay)
    pts = []
    for i in range(61):
        t = i / 60
        pts.append((cv.x(t), cv.y(0.2 + 0.08 * abs(math.sin(t * math.pi * 3)))))
    ld.line(pts, fill=rgba("sand", 200), width=cv.u(0.003))
    bulbs = pts[::3]
    glow = cv.layer()
    gd = ImageDraw.Draw(glow)
    for bx, by in bulbs:
        circle(gd, bx, by + cv.u(0.012), cv.u(0.03), fill=rgba("gold", 160))
    cv.add(glow, blur=12)
    for bx, by in bulbs:
        circle(ld, bx, by + cv.u(0.012), cv.u(0.009), fill=rgba("gold"))
    cv.add(lay)


def scene_chart(cv):
    """Histogramme, courbe et loupe : la mesure."""
    rng = cv.rng
    cv.gradient("cream", mix("cream", "sand", 0.5), angle=45)
    d = cv.draw()
    for k in range(1, 6):
        yy = cv.y(0.15 + k * 0.13)
        d.line((cv.x(0.06), yy, cv.x(0.94), yy), fill=rgba(mix("cream", "teal", 0.15)), width=cv.u(0.003))
    base = cv.y(0.82)
    cols = ["teal", "green", "orange", "plum"]
    n = 9
    bw = cv.x(0.88) / n
    tops = []
    level = rng.uniform(0.45, 0.55)
    for i in range(n):
        level = min(0.72, max(0.25, level + rng.uniform(-0.12, 0.14)))
        top = base - cv.y(level)
        x0 = cv.x(0.06) + i * bw + bw * 0.15
        d.rounded_rectangle((x0, top, x0 + bw * 0.7, base), radius=cv.u(0.012), fill=rgba(cols[i % 4]))
        tops.append((x0 + bw * 0.35, top - cv.y(0.06)))
    d.line(tops, fill=rgba("ink"), width=cv.u(0.006), joint="curve")
    for p in tops:
        circle(d, p[0], p[1], cv.u(0.014), fill=rgba("cream"), outline=rgba("ink"), width=cv.u(0.005))
    d.rectangle((cv.x(0.04), base, cv.x(0.96), base + cv.u(0.01)), fill=rgba("ink"))
    # loupe
    mx, my, mr = cv.x(0.66), cv.y(0.42), cv.u(0.2)
    lens = cv.layer()
    circle(ImageDraw.Draw(lens), mx, my, mr, fill=rgba("cream", 110))
    cv.add(lens)
    d = cv.draw()
    circle(d, mx, my, mr, outline=rgba("teal_dark"), width=cv.u(0.03))
    a = math.radians(45)
    hx0, hy0 = mx + mr * math.cos(a), my + mr * math.sin(a)
    d.line((hx0, hy0, hx0 + cv.u(0.2), hy0 + cv.u(0.2)), fill=rgba("teal_dark"), width=cv.u(0.05))


def scene_construction(cv):
    """Chantier : une grue et des immeubles en construction."""
    rng = cv.rng
    cv.gradient("sand", "cream", angle=100)
    cv.glow(cv.x(0.2), cv.y(0.25), cv.u(0.22), "orange_light", 200, 30)
    d = cv.draw()
    ground = cv.y(0.88)
    # immeubles
    cols = ["plum", "green", "orange", "teal_light"]
    x = cv.x(0.28)
    for i in range(4):
        wb = cv.x(rng.uniform(0.13, 0.17))
        hb = cv.y(rng.uniform(0.3, 0.58))
        d.rectangle((x, ground - hb, x + wb, ground), fill=rgba(cols[i]))
        floors = int(hb / cv.y(0.07))
        for f in range(floors):
            for c in range(3):
                wx = x + wb * (0.12 + 0.3 * c)
                wy = ground - hb + cv.y(0.025) + f * cv.y(0.07)
                d.rectangle((wx, wy, wx + wb * 0.18, wy + cv.y(0.035)), fill=rgba("cream"))
        if i == 2:  # étage en cours : échafaudage
            d.rectangle((x, ground - hb - cv.y(0.1), x + wb, ground - hb), outline=rgba("ink"), width=cv.u(0.006))
            d.line((x, ground - hb - cv.y(0.1), x + wb, ground - hb), fill=rgba("ink"), width=cv.u(0.005))
        x += wb + cv.x(0.03)
    # grue
    mast_x = cv.x(0.18)
    top = cv.y(0.12)
    mw = cv.x(0.025)
    d.rectangle((mast_x, top, mast_x + mw, ground), outline=rgba("teal_dark"), width=cv.u(0.008))
    yy = top
    while yy < ground:
        d.line((mast_x, yy, mast_x + mw, yy + mw), fill=rgba("teal_dark"), width=cv.u(0.005))
        d.line((mast_x + mw, yy + mw, mast_x, yy + 2 * mw), fill=rgba("teal_dark"), width=cv.u(0.005))
        yy += 2 * mw
    d.rectangle((cv.x(0.06), top, cv.x(0.92), top + cv.y(0.03)), fill=rgba("teal_dark"))
    d.polygon([(mast_x, top), (mast_x + mw / 2, top - cv.y(0.08)), (mast_x + mw, top)], fill=rgba("teal_dark"))
    d.rectangle((cv.x(0.06), top + cv.y(0.03), cv.x(0.1), top + cv.y(0.1)), fill=rgba("ink"))
    hook_x = cv.x(0.72)
    d.line((hook_x, top + cv.y(0.03), hook_x, cv.y(0.3)), fill=rgba("ink"), width=cv.u(0.004))
    d.rectangle((hook_x - cv.x(0.04), cv.y(0.3), hook_x + cv.x(0.04), cv.y(0.34)), fill=rgba("orange"))
    d.rectangle((0, ground, cv.w, cv.h), fill=rgba("brown"))


def scene_rosette(cv):
    """Cercles translucides qui se chevauchent en rosace."""
    rng = cv.rng
    cv.gradient("plum", mix("plum", "ink", 0.6), angle=35)
    cx, cy = cv.x(0.5), cv.y(0.5)
    cols = ["orange", "gold", "green_light", "teal_light", "rose", "cream"]
    lay = cv.layer()
    d = ImageDraw.Draw(lay)
    n = 9
    ring = cv.u(0.2)
    for i in range(n):
        a = 2 * math.pi * i / n + rng.uniform(-0.05, 0.05)
        r = cv.u(rng.uniform(0.17, 0.21))
        circle(d, cx + ring * math.cos(a), cy + ring * math.sin(a), r, fill=rgba(cols[i % len(cols)], 175))
    cv.add(lay)
    lay = cv.layer()
    d = ImageDraw.Draw(lay)
    for _ in range(26):
        px, py = rng.uniform(0, cv.w), rng.uniform(0, cv.h)
        if math.hypot(px - cx, py - cy) < cv.u(0.5):
            continue
        circle(d, px, py, cv.u(rng.uniform(0.01, 0.035)), fill=rgba(rng.choice(cols), 170))
    cv.add(lay)
    circle(cv.draw(), cx, cy, cv.u(0.05), fill=rgba("cream"))


def scene_house_clock(cv):
    """Une maison dont le pignon porte une horloge."""
    rng = cv.rng
    cv.gradient("teal", "green", angle=70)
    cv.glow(cv.x(0.5), cv.y(0.55), cv.u(0.45), "cream", 60, 60)
    d = cv.draw()
    hx0, hx1 = cv.x(0.34), cv.x(0.66)
    ground = cv.y(0.9)
    wall_top = cv.y(0.48)
    d.rectangle((hx0, wall_top, hx1, ground), fill=rgba("cream"))
    d.polygon([(hx0 - cv.x(0.03), wall_top), (cv.x(0.5), cv.y(0.12)), (hx1 + cv.x(0.03), wall_top)], fill=rgba("orange"))
    # horloge
    ccx, ccy, cr = cv.x(0.5), cv.y(0.34), cv.u(0.09)
    circle(d, ccx, ccy, cr, fill=rgba("cream"), outline=rgba("plum"), width=cv.u(0.012))
    for k in range(12):
        a = 2 * math.pi * k / 12
        circle(d, ccx + cr * 0.75 * math.cos(a), ccy + cr * 0.75 * math.sin(a), cv.u(0.006), fill=rgba("plum"))
    hour = rng.uniform(0, 2 * math.pi)
    d.line((ccx, ccy, ccx + cr * 0.45 * math.cos(hour), ccy + cr * 0.45 * math.sin(hour)), fill=rgba("ink"), width=cv.u(0.012))
    d.line((ccx, ccy, ccx, ccy - cr * 0.65), fill=rgba("ink"), width=cv.u(0.008))
    # porte et fenêtres
    d.rounded_rectangle((cv.x(0.465), cv.y(0.66), cv.x(0.535), ground), radius=cv.u(0.02), fill=rgba("plum"))
    for wx in (0.38, 0.565):
        d.rectangle((cv.x(wx), cv.y(0.56), cv.x(wx + 0.055), cv.y(0.68)), fill=rgba("gold"))
    d.rectangle((0, ground, cv.w, cv.h), fill=rgba("teal_dark"))
    # seau et balai
    bx = cv.x(0.74)
    d.polygon([(bx, cv.y(0.78)), (bx + cv.x(0.06), cv.y(0.78)), (bx + cv.x(0.05), ground), (bx + cv.x(0.01), ground)], fill=rgba("gold"))
    d.line((cv.x(0.84), cv.y(0.5), cv.x(0.82), ground - cv.y(0.1)), fill=rgba("sand"), width=cv.u(0.012))
    d.polygon([(cv.x(0.8), ground - cv.y(0.11)), (cv.x(0.845), ground - cv.y(0.11)), (cv.x(0.86), ground), (cv.x(0.785), ground)], fill=rgba("orange_light"))


def scene_bread(cv):
    """Pains dorés sur une planche, farine et épis."""
    rng = cv.rng
    cv.gradient("orange_light", "orange", angle=90)
    cv.glow(cv.x(0.3), cv.y(0.2), cv.u(0.35), "gold", 160, 60)
    d = cv.draw()
    board_top = cv.y(0.6)
    d.rounded_rectangle((cv.x(0.06), board_top, cv.x(0.94), cv.y(0.95)), radius=cv.u(0.04), fill=rgba("brown"))
    for k in range(1, 4):
        yy = board_top + k * cv.y(0.08)
        d.line((cv.x(0.09), yy, cv.x(0.91), yy), fill=rgba(mix("brown", "ink", 0.2)), width=cv.u(0.004))
    # épis de blé
    for k in range(3):
        sx = cv.x(0.75 + 0.05 * k)
        d.line((sx, cv.y(0.58), sx - cv.x(0.02), cv.y(0.12 + 0.03 * k)), fill=rgba("sand"), width=cv.u(0.008))
        for g in range(7):
            gy = cv.y(0.14 + 0.03 * k) + g * cv.u(0.035)
            gx = sx - cv.x(0.02) + (g * cv.x(0.02) / 12)
            d.ellipse((gx - cv.u(0.03), gy - cv.u(0.012), gx, gy + cv.u(0.012)), fill=rgba("gold"))
            d.ellipse((gx, gy - cv.u(0.012), gx + cv.u(0.03), gy + cv.u(0.012)), fill=rgba("gold"))
    loaves = [(0.24, 0.62, 0.16, 0.1), (0.5, 0.66, 0.14, 0.12), (0.36, 0.78, 0.2, 0.09)]
    for lx, ly, rx, ry in loaves:
        cx, cy = cv.x(lx), cv.y(ly)
        w, h = cv.x(rx), cv.y(ry)
        d.ellipse((cx - w, cy - h, cx + w, cy + h), fill=rgba((176, 104, 45)))
        d.ellipse((cx - w * 0.92, cy - h * 0.95, cx + w * 0.92, cy + h * 0.7), fill=rgba((204, 132, 62)))
        for s in range(-1, 2):
            sx = cx + s * w * 0.45
            d.line((sx - w * 0.12, cy + h * 0.25, sx + w * 0.12, cy - h * 0.45), fill=rgba("sand"), width=cv.u(0.012))
    lay = cv.layer()
    ld = ImageDraw.Draw(lay)
    for _ in range(90):
        circle(ld, rng.uniform(cv.x(0.08), cv.x(0.92)), rng.uniform(cv.y(0.58), cv.y(0.93)), cv.u(rng.uniform(0.002, 0.006)), fill=rgba("cream", 200))
    cv.add(lay)


def scene_repair(cv):
    """Engrenages, clé plate et tournevis (format portrait)."""
    rng = cv.rng
    cv.gradient("green", "teal_dark", angle=90)
    d = cv.draw()
    gear(d, cv.x(0.42), cv.y(0.3), cv.u(0.34), 12, rgba("orange"), hole=rgba("green"), rot=rng.uniform(0, 1))
    gear(d, cv.x(0.8), cv.y(0.5), cv.u(0.19), 8, rgba("cream"), hole=rgba(mix("green", "teal_dark", 0.5)), rot=rng.uniform(0, 1))
    gear(d, cv.x(0.2), cv.y(0.56), cv.u(0.12), 7, rgba("gold"), hole=rgba(mix("green", "teal_dark", 0.5)), rot=rng.uniform(0, 1))
    # clé plate
    x0, y0, x1, y1 = cv.x(0.16), cv.y(0.92), cv.x(0.78), cv.y(0.66)
    d.line((x0, y0, x1, y1), fill=rgba("cream"), width=cv.u(0.07))
    for (ex, ey) in ((x0, y0), (x1, y1)):
        circle(d, ex, ey, cv.u(0.085), fill=rgba("cream"))
    ang = math.atan2(y1 - y0, x1 - x0)
    jaw = cv.u(0.045)
    d.polygon([
        (x1 + math.cos(ang) * jaw * 2.2 - math.sin(ang) * jaw * 0.8, y1 + math.sin(ang) * jaw * 2.2 + math.cos(ang) * jaw * 0.8),
        (x1 + math.cos(ang) * jaw * 2.2 + math.sin(ang) * jaw * 0.8, y1 + math.sin(ang) * jaw * 2.2 - math.cos(ang) * jaw * 0.8),
        (x1 + math.sin(ang) * jaw * 0.6, y1 - math.cos(ang) * jaw * 0.6),
        (x1 - math.sin(ang) * jaw * 0.6, y1 + math.cos(ang) * jaw * 0.6),
    ], fill=rgba(mix("green", "teal_dark", 0.6)))
    # tournevis
    sx0, sy0, sx1, sy1 = cv.x(0.3), cv.y(0.64), cv.x(0.86), cv.y(0.95)
    d.line((sx0, sy0, (sx0 + sx1) / 2, (sy0 + sy1) / 2), fill=rgba("sand"), width=cv.u(0.022))
    d.line(((sx0 + sx1) / 2, (sy0 + sy1) / 2, sx1, sy1), fill=rgba("plum"), width=cv.u(0.08))
    circle(d, sx1, sy1, cv.u(0.04), fill=rgba("plum"))


def scene_confluence(cv):
    """Deux rivières qui se rejoignent au pied d'une colline fortifiée."""
    rng = cv.rng
    cv.gradient("cream", "sand", angle=90)
    cv.glow(cv.x(0.75), cv.y(0.2), cv.u(0.13), "orange", 230, 6)
    d = cv.draw()
    # colline
    hill = [(cv.x(0.05), cv.y(0.62))]
    for i in range(41):
        t = i / 40
        hill.append((cv.x(0.05 + 0.7 * t), cv.y(0.62 - 0.3 * math.sin(math.pi * t) ** 1.4)))
    hill.append((cv.x(0.75), cv.y(0.62)))
    d.polygon(hill, fill=rgba("green"))
    # forteresse
    fx0, fx1, fy = cv.x(0.3), cv.x(0.52), cv.y(0.34)
    d.rectangle((fx0, fy - cv.y(0.1), fx1, fy + cv.y(0.02)), fill=rgba("plum"))
    step = (fx1 - fx0) / 9
    for k in range(0, 9, 2):
        d.rectangle((fx0 + k * step, fy - cv.y(0.14), fx0 + (k + 1) * step, fy - cv.y(0.1)), fill=rgba("plum"))
    d.rectangle((fx1 - step * 2, fy - cv.y(0.2), fx1, fy - cv.y(0.1)), fill=rgba("plum"))
    d.rectangle((fx0 + step * 3.5, fy - cv.y(0.06), fx0 + step * 5.5, fy + cv.y(0.02)), fill=rgba("ink"))
    # plaine
    d.rectangle((0, cv.y(0.62), cv.w, cv.h), fill=rgba("green_light"))
    # deux rivières -> une
    for pts_side in ((0.0, 0.66), (1.0, 0.7)):
        sx, sy = pts_side
        band = []
        other = []
        for i in range(31):
            t = i / 30
            px = cv.x(sx + (0.5 - sx) * t)
            py = cv.y(sy + (0.82 - sy) * t ** 1.5 + 0.02 * math.sin(t * 6 + rng.uniform(0, 0.2)))
            band.append((px, py))
            other.append((px, py + cv.y(0.05 + 0.03 * t)))
        d.polygon(band + other[::-1], fill=rgba("teal"))
    d.polygon([(cv.x(0.44), cv.y(0.84)), (cv.x(0.56), cv.y(0.84)), (cv.x(0.66), cv.h), (cv.x(0.34), cv.h)], fill=rgba("teal"))
    # reflets
    for _ in range(10):
        rx = cv.x(rng.uniform(0.4, 0.6))
        ry = cv.y(rng.uniform(0.88, 0.98))
        d.line((rx, ry, rx + cv.x(0.03), ry), fill=rgba("teal_light"), width=cv.u(0.005))


def scene_energy(cv):
    """Soleil, éoliennes et panneaux solaires sur les collines."""
    rng = cv.rng
    cv.gradient("gold", "cream", angle=90)
    sx, sy = cv.x(0.22), cv.y(0.3)
    d = cv.draw()
    for k in range(16):
        a = 2 * math.pi * k / 16
        d.line((sx + cv.u(0.15) * math.cos(a), sy + cv.u(0.15) * math.sin(a),
                sx + cv.u(0.22) * math.cos(a), sy + cv.u(0.22) * math.sin(a)), fill=rgba("orange"), width=cv.u(0.012))
    circle(d, sx, sy, cv.u(0.12), fill=rgba("orange"))
    # collines
    for base, amp, col, ph in ((0.62, 0.06, "green_light", 0.3), (0.72, 0.05, "green", 1.7), (0.84, 0.04, "teal", 2.5)):
        pts = [(0, cv.h)]
        for i in range(61):
            t = i / 60
            pts.append((cv.x(t), cv.y(base - amp * math.sin(ph + t * 5))))
        pts.append((cv.w, cv.h))
        d.polygon(pts, fill=rgba(col))
    # éoliennes
    for tx, scale in ((0.55, 1.0), (0.7, 0.8), (0.84, 0.65)):
        bx = cv.x(tx)
        top = cv.y(0.62 - 0.42 * scale)
        d.polygon([(bx - cv.u(0.01), cv.y(0.66)), (bx + cv.u(0.01), cv.y(0.66)), (bx + cv.u(0.004), top), (bx - cv.u(0.004), top)], fill=rgba("cream"))
        rot = rng.uniform(0, 2 * math.pi)
        blade = cv.u(0.2 * scale)
        for k in range(3):
            a = rot + 2 * math.pi * k / 3
            ex, ey = bx + blade * math.cos(a), top + blade * math.sin(a)
            nx, ny = -math.sin(a) * cv.u(0.012), math.cos(a) * cv.u(0.012)
            d.polygon([(bx + nx, top + ny), (ex, ey), (bx - nx, top - ny)], fill=rgba("cream"))
        circle(d, bx, top, cv.u(0.014), fill=rgba("sand"))
    # panneaux solaires
    px0, py0 = cv.x(0.08), cv.y(0.8)
    pw, ph = cv.x(0.36), cv.y(0.14)
    d.polygon([(px0, py0 + ph), (px0 + cv.x(0.04), py0), (px0 + pw + cv.x(0.04), py0), (px0 + pw, py0 + ph)], fill=rgba("teal_dark"))
    for k in range(1, 6):
        t = k / 6
        d.line((px0 + pw * t, py0 + ph, px0 + cv.x(0.04) + pw * t, py0), fill=rgba("teal_light"), width=cv.u(0.004))
    for k in range(1, 3):
        t = k / 3
        d.line((px0 + cv.x(0.04) * (1 - t), py0 + ph * t, px0 + pw + cv.x(0.04) * (1 - t), py0 + ph * t), fill=rgba("teal_light"), width=cv.u(0.004))


def scene_cook(cv):
    """Silhouette d'une cuisinière en toque devant une marmite (portrait)."""
    rng = cv.rng
    cv.gradient("orange", "rose", angle=90)
    cv.glow(cv.x(0.5), cv.y(0.35), cv.u(0.45), "gold", 130, 60)
    d = cv.draw()
    cx = cv.x(0.5)
    # corps
    d.rounded_rectangle((cx - cv.u(0.36), cv.y(0.5), cx + cv.u(0.36), cv.y(1.05)), radius=cv.u(0.2), fill=rgba("teal"))
    d.rounded_rectangle((cx - cv.u(0.2), cv.y(0.56), cx + cv.u(0.2), cv.y(1.05)), radius=cv.u(0.05), fill=rgba("sand"))
    d.line((cx - cv.u(0.2), cv.y(0.58), cx - cv.u(0.1), cv.y(0.5)), fill=rgba("sand"), width=cv.u(0.02))
    d.line((cx + cv.u(0.2), cv.y(0.58), cx + cv.u(0.1), cv.y(0.5)), fill=rgba("sand"), width=cv.u(0.02))
    # cou, tête
    d.rectangle((cx - cv.u(0.06), cv.y(0.42), cx + cv.u(0.06), cv.y(0.52)), fill=rgba((120, 78, 50)))
    d.ellipse((cx - cv.u(0.14), cv.y(0.27), cx + cv.u(0.14), cv.y(0.46)), fill=rgba((120, 78, 50)))
    # toque
    d.rectangle((cx - cv.u(0.13), cv.y(0.24), cx + cv.u(0.13), cv.y(0.3)), fill=rgba("cream"))
    for ox in (-0.09, 0.0, 0.09):
        circle(d, cx + cv.u(ox), cv.y(0.2), cv.u(0.1), fill=rgba("cream"))
    # marmite
    d.rounded_rectangle((cv.x(0.2), cv.y(0.78), cv.x(0.8), cv.y(0.98)), radius=cv.u(0.04), fill=rgba("plum"))
    d.rectangle((cv.x(0.16), cv.y(0.77), cv.x(0.84), cv.y(0.8)), fill=rgba(mix("plum", "ink", 0.3)))
    for hx in (0.12, 0.83):
        d.rounded_rectangle((cv.x(hx), cv.y(0.82), cv.x(hx + 0.05), cv.y(0.85)), radius=cv.u(0.01), fill=rgba(mix("plum", "ink", 0.3)))
    # vapeur
    lay = cv.layer()
    ld = ImageDraw.Draw(lay)
    for k, ox in enumerate((0.32, 0.5, 0.68)):
        pts = []
        ph = rng.uniform(0, 1)
        for i in range(30):
            t = i / 29
            pts.append((cv.x(ox) + cv.u(0.03) * math.sin(ph + t * 9), cv.y(0.76 - 0.14 * t)))
        ld.line(pts, fill=(255, 255, 255, 235), width=cv.u(0.016), joint="curve")
    cv.add(lay, blur=1)


def tshirt(d, cx, top, w, fill):
    h = w * 1.15
    sl = w * 0.3
    pts = [
        (cx - w * 0.18, top), (cx - w / 2, top + h * 0.06), (cx - w / 2 - sl, top + h * 0.3),
        (cx - w / 2 - sl * 0.45, top + h * 0.38), (cx - w / 2 + w * 0.04, top + h * 0.28),
        (cx - w / 2 + w * 0.04, top + h), (cx + w / 2 - w * 0.04, top + h),
        (cx + w / 2 - w * 0.04, top + h * 0.28), (cx + w / 2 + sl * 0.45, top + h * 0.38),
        (cx + w / 2 + sl, top + h * 0.3), (cx + w / 2, top + h * 0.06), (cx + w * 0.18, top),
        (cx, top + h * 0.09),
    ]
    d.polygon(pts, fill=fill)


def scene_rack(cv):
    """Un portant surchargé de t-shirts de toutes les couleurs."""
    rng = cv.rng
    cv.gradient("cream", mix("cream", "rose", 0.35), angle=90)
    d = cv.draw()
    rail = cv.y(0.14)
    d.rectangle((cv.x(0.03), rail - cv.u(0.012), cv.x(0.97), rail + cv.u(0.012)), fill=rgba("ink"))
    for px in (0.05, 0.95):
        d.rectangle((cv.x(px) - cv.u(0.01), rail, cv.x(px) + cv.u(0.01), cv.h), fill=rgba("ink"))
    cols = ["orange", "teal", "plum", "green", "gold", "rose", "teal_light", "plum_light", "green_light", "sand", "brown"]
    n = 17
    tag_at = rng.randrange(3, n - 3)
    for k in range(n):
        cx = cv.x(0.1 + 0.8 * k / (n - 1)) + rng.uniform(-1, 1) * cv.u(0.01)
        w = cv.u(rng.uniform(0.26, 0.3))
        top = rail + cv.u(0.07)
        d.line((cx, rail - cv.u(0.01), cx, rail + cv.u(0.03)), fill=rgba("ink"), width=cv.u(0.006))
        d.line((cx - w * 0.45, top + cv.u(0.01), cx, rail + cv.u(0.03), cx + w * 0.45, top + cv.u(0.01)), fill=rgba("ink"), width=cv.u(0.006))
        tshirt(d, cx, top, w, rgba(cols[(k * 5 + rng.randrange(2)) % len(cols)]))
        if k == tag_at:
            tx, ty = cx + w * 0.2, top + w * 0.45
            d.line((cx + w * 0.1, top + w * 0.3, tx, ty), fill=rgba("ink"), width=cv.u(0.004))
            d.polygon([(tx, ty), (tx + cv.u(0.05), ty - cv.u(0.03)), (tx + cv.u(0.13), ty + cv.u(0.02)),
                       (tx + cv.u(0.09), ty + cv.u(0.09)), (tx + cv.u(0.01), ty + cv.u(0.05))], fill=rgba("orange"))
            circle(d, tx + cv.u(0.035), ty + cv.u(0.005), cv.u(0.008), fill=rgba("cream"))
    d.rectangle((0, cv.y(0.93), cv.w, cv.h), fill=rgba(mix("sand", "brown", 0.3)))


def scene_sewing(cv):
    """Bobine de fil, aiguille et pièces cousues : la réparation."""
    rng = cv.rng
    cv.gradient("teal", "teal_dark", angle=120)
    d = cv.draw()
    # pièces de tissu surpiquées
    patch_cols = ["plum_light", "green_light", "rose", "sand", "gold", "plum_light"]
    spots = [(0.05, 0.08), (0.14, 0.7), (0.55, 0.1), (0.62, 0.68), (0.84, 0.38), (0.88, 0.82)]
    for k, (fx, fy) in enumerate(spots):
        s = cv.u(rng.uniform(0.13, 0.19))
        px = cv.x(fx) + rng.uniform(-1, 1) * cv.u(0.02)
        py = cv.y(fy) + rng.uniform(-1, 1) * cv.u(0.02)
        d.rectangle((px, py, px + s, py + s), fill=rgba(patch_cols[k]))
        inset = cv.u(0.015)
        dash = cv.u(0.02)
        for side in range(4):
            for t in range(0, int(s - 2 * inset), int(dash * 2)):
                if side == 0:
                    seg = (px + inset + t, py + inset, px + inset + t + dash, py + inset)
                elif side == 1:
                    seg = (px + inset + t, py + s - inset, px + inset + t + dash, py + s - inset)
                elif side == 2:
                    seg = (px + inset, py + inset + t, px + inset, py + inset + t + dash)
                else:
                    seg = (px + s - inset, py + inset + t, px + s - inset, py + inset + t + dash)
                d.line(seg, fill=rgba("cream"), width=cv.u(0.005))
    # bobine
    bx, by = cv.x(0.3), cv.y(0.5)
    bw, bh = cv.u(0.22), cv.u(0.3)
    d.rectangle((bx - bw * 0.4, by - bh / 2, bx + bw * 0.4, by + bh / 2), fill=rgba("orange"))
    for k in range(12):
        yy = by - bh / 2 + bh * (k + 0.5) / 12
        d.line((bx - bw * 0.4, yy, bx + bw * 0.4, yy), fill=rgba(mix("orange", "brown", 0.3)), width=cv.u(0.003))
    for yy in (by - bh / 2 - cv.u(0.03), by + bh / 2):
        d.rounded_rectangle((bx - bw * 0.6, yy, bx + bw * 0.6, yy + cv.u(0.03)), radius=cv.u(0.01), fill=rgba("sand"))
    # fil qui serpente
    pts = []
    for i in range(120):
        t = i / 119
        pts.append((bx + bw * 0.4 + t * cv.x(0.36), by + cv.u(0.15) * math.sin(t * 7.5) * (1 - 0.4 * t) - t * cv.y(0.1)))
    d.line(pts, fill=rgba("orange"), width=cv.u(0.008), joint="curve")
    # aiguille
    ex, ey = pts[-1]
    ax0, ay0 = ex - cv.u(0.02), ey + cv.u(0.01)
    ax1, ay1 = ax0 + cv.u(0.26), ay0 - cv.u(0.2)
    d.line((ax0, ay0, ax1, ay1), fill=rgba("cream"), width=cv.u(0.014))
    circle(d, ax0, ay0, cv.u(0.012), outline=rgba("cream"), width=cv.u(0.006))


def scene_tote(cv):
    """Un sac en toile avec une étiquette : acheter mieux."""
    rng = cv.rng
    cv.gradient("green", "teal", angle=45)
    cv.glow(cv.x(0.5), cv.y(0.55), cv.u(0.42), "gold", 90, 60)
    d = cv.draw()
    bx0, bx1 = cv.x(0.5) - cv.u(0.3), cv.x(0.5) + cv.u(0.3)
    by0, by1 = cv.y(0.38), cv.y(0.95)
    # chemise pliée qui dépasse
    d.rounded_rectangle((bx0 + cv.u(0.08), by0 - cv.u(0.1), bx1 - cv.u(0.12), by0 + cv.u(0.05)), radius=cv.u(0.02), fill=rgba("plum"))
    d.polygon([(cv.x(0.5) - cv.u(0.08), by0 - cv.u(0.1)), (cv.x(0.5) - cv.u(0.03), by0 - cv.u(0.04)), (cv.x(0.5) + cv.u(0.02), by0 - cv.u(0.1))], fill=rgba("plum_light"))
    # anses
    for hx in (-0.14, 0.14):
        d.arc((cv.x(0.5) + cv.u(hx) - cv.u(0.1), by0 - cv.u(0.26), cv.x(0.5) + cv.u(hx) + cv.u(0.1), by0 + cv.u(0.06)), 180, 360, fill=rgba("sand"), width=cv.u(0.025))
    d.rectangle((bx0, by0, bx1, by1), fill=rgba("cream"))
    d.rectangle((bx0, by0, bx1, by0 + cv.u(0.035)), fill=rgba("sand"))
    # cœur cousu
    hcx, hcy, hs = cv.x(0.5), cv.y(0.68), cv.u(0.07)
    circle(d, hcx - hs * 0.5, hcy - hs * 0.2, hs * 0.55, fill=rgba("orange"))
    circle(d, hcx + hs * 0.5, hcy - hs * 0.2, hs * 0.55, fill=rgba("orange"))
    d.polygon([(hcx - hs * 1.02, hcy - hs * 0.05), (hcx + hs * 1.02, hcy - hs * 0.05), (hcx, hcy + hs * 1.05)], fill=rgba("orange"))
    # étiquette
    tx, ty = bx1 + cv.u(0.02), by0 + cv.u(0.12)
    d.line((bx1 - cv.u(0.04), by0 + cv.u(0.02), tx + cv.u(0.03), ty + cv.u(0.03)), fill=rgba("ink"), width=cv.u(0.004))
    d.polygon([(tx, ty + cv.u(0.03)), (tx + cv.u(0.05), ty - cv.u(0.01)), (tx + cv.u(0.17), ty + cv.u(0.09)),
               (tx + cv.u(0.12), ty + cv.u(0.16)), (tx, ty + cv.u(0.07))], fill=rgba("gold"))
    circle(d, tx + cv.u(0.03), ty + cv.u(0.03), cv.u(0.01), fill=rgba("cream"))
    for _ in range(12):
        lx = cv.x(rng.uniform(0.05, 0.25))
        ly = cv.y(rng.uniform(0.1, 0.9))
        circle(d, lx, ly, cv.u(rng.uniform(0.006, 0.016)), fill=rgba("cream", 255))


def scene_laptop_split(cv):
    """Ordinateur portable à moitié éclairé, pixels qui s'égrènent."""
    rng = cv.rng
    cv.gradient("plum", "ink", angle=90)
    d = cv.draw()
    sx0, sx1 = cv.x(0.25), cv.x(0.75)
    sy0, sy1 = cv.y(0.15), cv.y(0.72)
    d.rounded_rectangle((sx0 - cv.u(0.02), sy0 - cv.u(0.02), sx1 + cv.u(0.02), sy1 + cv.u(0.02)), radius=cv.u(0.025), fill=rgba("ink"))
    mid = (sx0 + sx1) / 2
    d.rectangle((sx0, sy0, mid, sy1), fill=rgba("cream"))
    d.rectangle((mid, sy0, sx1, sy1), fill=rgba((40, 30, 44)))
    # contenu de la moitié éclairée : blocs et lignes (sans texte)
    d.rectangle((sx0 + cv.u(0.04), sy0 + cv.u(0.04), mid - cv.u(0.04), sy0 + cv.u(0.16)), fill=rgba("orange"))
    for k in range(5):
        yy = sy0 + cv.u(0.21) + k * cv.u(0.05)
        d.rounded_rectangle((sx0 + cv.u(0.04), yy, mid - cv.u(0.04) - rng.uniform(0, cv.u(0.1)), yy + cv.u(0.022)), radius=cv.u(0.01), fill=rgba("teal_light"))
    # base
    d.polygon([(sx0 - cv.u(0.08), sy1 + cv.u(0.02)), (sx1 + cv.u(0.08), sy1 + cv.u(0.02)),
               (sx1 + cv.u(0.14), cv.y(0.84)), (sx0 - cv.u(0.14), cv.y(0.84))], fill=rgba("sand"))
    d.rounded_rectangle((mid - cv.u(0.08), sy1 + cv.u(0.05), mid + cv.u(0.08), sy1 + cv.u(0.08)), radius=cv.u(0.01), fill=rgba(mix("sand", "brown", 0.4)))
    # pixels qui se détachent de la moitié sombre
    cols = ["orange", "gold", "cream", "teal_light"]
    for k in range(40):
        t = rng.random()
        px = sx1 + t * cv.x(0.22) + rng.uniform(-cv.u(0.02), cv.u(0.02))
        py = rng.uniform(sy0, sy1)
        s = cv.u(0.03 * (1 - t) + 0.008)
        d.rectangle((px, py, px + s, py + s), fill=rgba(rng.choice(cols)))


def scene_two_people(cv):
    """Deux personnes vues de dos devant un grand écran."""
    rng = cv.rng
    cv.gradient("cream", "sand", angle=90)
    d = cv.draw()
    sx0, sx1, sy0, sy1 = cv.x(0.12), cv.x(0.88), cv.y(0.08), cv.y(0.68)
    d.rounded_rectangle((sx0, sy0, sx1, sy1), radius=cv.u(0.03), fill=rgba("teal"))
    # fenêtres d'interface
    d.rounded_rectangle((sx0 + cv.u(0.05), sy0 + cv.u(0.05), cv.x(0.46), sy1 - cv.u(0.06)), radius=cv.u(0.02), fill=rgba("teal_light"))
    d.rounded_rectangle((cv.x(0.5), sy0 + cv.u(0.05), sx1 - cv.u(0.05), cv.y(0.36)), radius=cv.u(0.02), fill=rgba("orange"))
    d.rounded_rectangle((cv.x(0.5), cv.y(0.4), sx1 - cv.u(0.05), sy1 - cv.u(0.06)), radius=cv.u(0.02), fill=rgba("cream"))
    for k in range(3):
        yy = cv.y(0.45) + k * cv.u(0.05)
        d.rounded_rectangle((cv.x(0.53), yy, cv.x(0.53) + cv.u(rng.uniform(0.3, 0.5)), yy + cv.u(0.022)), radius=cv.u(0.01), fill=rgba("sand"))
    circle(d, cv.x(0.29), cv.y(0.34), cv.u(0.09), fill=rgba("gold"))
    d.rectangle((cv.x(0.46), sy1, cv.x(0.54), cv.y(0.78)), fill=rgba("ink"))
    d.rectangle((0, cv.y(0.78), cv.w, cv.h), fill=rgba(mix("sand", "brown", 0.35)))
    # deux silhouettes de dos
    person(d, cv.x(0.36), cv.y(1.0), cv.u(0.26), rgba("plum"), rgba((70, 45, 35)))
    person(d, cv.x(0.62), cv.y(1.03), cv.u(0.24), rgba("orange"), rgba((180, 180, 175)))
    # bras qui désigne l'écran
    d.line((cv.x(0.7), cv.y(0.84), cv.x(0.78), cv.y(0.6)), fill=rgba("orange"), width=cv.u(0.06))
    circle(d, cv.x(0.78), cv.y(0.6), cv.u(0.035), fill=rgba((222, 180, 150)))


def scene_phone(cv):
    """Un smartphone et ses pictogrammes colorés, ondes de connexion."""
    rng = cv.rng
    cv.gradient("teal", "green", angle=135)
    d = cv.draw()
    cx, cy = cv.x(0.42), cv.y(0.52)
    pw, ph = cv.u(0.44), cv.u(0.84)
    d.rounded_rectangle((cx - pw / 2, cy - ph / 2, cx + pw / 2, cy + ph / 2), radius=cv.u(0.06), fill=rgba("ink"))
    d.rounded_rectangle((cx - pw / 2 + cv.u(0.025), cy - ph / 2 + cv.u(0.06), cx + pw / 2 - cv.u(0.025), cy + ph / 2 - cv.u(0.06)), radius=cv.u(0.02), fill=rgba("cream"))
    cols = ["orange", "plum", "green", "teal", "gold", "rose"]
    gx0 = cx - pw / 2 + cv.u(0.06)
    gy0 = cy - ph / 2 + cv.u(0.11)
    cell = (pw - cv.u(0.12)) / 3
    for r in range(4):
        for c in range(3):
            x0 = gx0 + c * cell + cell * 0.12
            y0 = gy0 + r * cell + cell * 0.12
            d.rounded_rectangle((x0, y0, x0 + cell * 0.76, y0 + cell * 0.76), radius=cv.u(0.02), fill=rgba(rng.choice(cols)))
    circle(d, cx, cy + ph / 2 - cv.u(0.03), cv.u(0.013), fill=rgba("sand"))
    # ondes
    ox, oy = cx + pw / 2 + cv.u(0.06), cy - ph / 2 + cv.u(0.1)
    for k in range(4):
        r = cv.u(0.1 + 0.1 * k)
        d.arc((ox - r, oy - r, ox + r, oy + r), 290, 360 + 20, fill=rgba("orange" if k % 2 == 0 else "cream"), width=cv.u(0.02))
    lay = cv.layer()
    ld = ImageDraw.Draw(lay)
    for _ in range(18):
        circle(ld, rng.uniform(cv.x(0.65), cv.x(0.98)), rng.uniform(cv.y(0.5), cv.y(0.95)), cv.u(rng.uniform(0.01, 0.03)), fill=rgba("cream", 140))
    cv.add(lay)


# ---------------------------------------------------------------------------
# Catalogue : nom de fichier -> (scène, format)
# ---------------------------------------------------------------------------

IMAGES = {
    "portail-economiesociale.jpg": (scene_network, LANDSCAPE),
    "jours-fous-portes-ouvertes.jpg": (scene_open_doors, LANDSCAPE),
    "jours-fous-bilan.jpg": (scene_bunting, LANDSCAPE),
    "supermarche-cooperatif.jpg": (scene_shelves, LANDSCAPE),
    "marche-de-noel-solidaire.jpg": (scene_night_market, LANDSCAPE),
    "mesure-impact.jpg": (scene_chart, LANDSCAPE),
    "clauses-sociales.jpg": (scene_construction, LANDSCAPE),
    "cooperatives-jeunes.jpg": (scene_rosette, LANDSCAPE),
    "titres-services.jpg": (scene_house_clock, LANDSCAPE),
    "boulangerie-cooperative.jpg": (scene_bread, LANDSCAPE),
    "repair-cafe.jpg": (scene_repair, PORTRAIT),
    "eta-namur.jpg": (scene_confluence, LANDSCAPE),
    "energie-citoyenne-liege.jpg": (scene_energy, LANDSCAPE),
    "cuisine-insertion.jpg": (scene_cook, PORTRAIT),
    "vetements-mode-jetable.jpg": (scene_rack, LANDSCAPE),
    "vetements-seconde-main.jpg": (scene_sewing, LANDSCAPE),
    "vetements-acheter-mieux.jpg": (scene_tote, LANDSCAPE),
    "inclusion-numerique-fracture.jpg": (scene_laptop_split, LANDSCAPE),
    "inclusion-numerique-accompagnement.jpg": (scene_two_people, LANDSCAPE),
    "inclusion-numerique-services-publics.jpg": (scene_phone, LANDSCAPE),
}


def seed_for(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")


def render(name: str) -> Path:
    scene, size = IMAGES[name]
    cv = Canvas(size, random.Random(seed_for(name)))
    scene(cv)
    path = OUT_DIR / name
    cv.save(path)
    return path


def main(argv: list[str]) -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    names = argv or sorted(IMAGES)
    status = 0
    for name in names:
        if name not in IMAGES:
            print(f"inconnue : {name}", file=sys.stderr)
            status = 1
            continue
        path = render(name)
        size = path.stat().st_size
        flag = "" if size <= MAX_BYTES else "  <-- TROP LOURDE"
        if flag:
            status = 1
        print(f"{path.relative_to(ROOT)}  {Image.open(path).size}  {size // 1024} Ko{flag}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
