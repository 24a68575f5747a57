"""A line drawing of each position, made here from a few joint angles: a person seen from the
side, on the floor (or a chair), as SVG. Pure: the same pose is the same text.

A pose gives the hip's place, the trunk's and the head's angles, and for each arm and leg either
its angles or the point its hand or foot reaches (solved as two bones, the elbow or knee bent the
way it bends). Angles are in degrees from the direction of the feet of a person lying head-left
(0 points right, 90 up). The near limbs, the working side, are drawn dark; the far ones light.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

TRUNK, NECK, HEAD = 52.0, 9.0, 10.0
UPPER_ARM, FOREARM = 28.0, 25.0
THIGH, SHIN, FOOT = 42.0, 40.0, 11.0
FLOOR = 2.0  # the floor's height: a body lying on it is drawn just above
WIDTH, HEIGHT = 200, 110

Point = tuple[float, float]


@dataclass(frozen=True)
class Limb:
    """An arm (upper, lower) or a leg (thigh, shin, foot): angles, or the point it reaches."""

    angles: tuple[float, ...] = ()
    reach: Point | None = None  # the hand or the ankle there, the joint bent by `bend`
    bend: int = 1  # +1: the middle joint bends counterclockwise of the line to the point, -1: clockwise
    foot: float | None = None  # a leg's foot angle, when its ankle is placed by `reach`


@dataclass(frozen=True)
class Pose:
    hip: Point
    trunk: float
    neck: float
    near_arm: Limb
    far_arm: Limb
    near_leg: Limb
    far_leg: Limb
    chair: bool = False


def _at(p: Point, angle: float, length: float) -> Point:
    a = math.radians(angle)
    return (p[0] + length * math.cos(a), p[1] + length * math.sin(a))


def _two_bones(root: Point, target: Point, a: float, b: float, bend: int) -> tuple[Point, Point]:
    """The middle joint and the end of two bones (lengths a, b) from `root` toward `target`:
    the end at the target when it is within reach, else as near as the bones go."""
    dx, dy = target[0] - root[0], target[1] - root[1]
    d = min(max(math.hypot(dx, dy), abs(a - b) + 1e-6), a + b - 1e-6)
    toward = math.atan2(dy, dx)
    inner = math.acos(max(-1.0, min(1.0, (a * a + d * d - b * b) / (2 * a * d))))
    mid = _at(root, math.degrees(toward + bend * inner), a)
    end = (root[0] + d * math.cos(toward), root[1] + d * math.sin(toward))
    return mid, end


def _chain(root: Point, limb: Limb, lengths: tuple[float, ...]) -> list[Point]:
    if limb.reach is not None:
        mid, end = _two_bones(root, limb.reach, lengths[0], lengths[1], limb.bend)
        points = [root, mid, end]
        if len(lengths) > 2 and limb.foot is not None:
            points.append(_at(end, limb.foot, lengths[2]))
        return points
    points = [root]
    for angle, length in zip(limb.angles, lengths):
        points.append(_at(points[-1], angle, length))
    return points


def joints(pose: Pose) -> dict[str, list[Point]]:
    """Every line of the figure, as points: the trunk and neck, each arm and each leg."""
    shoulder = _at(pose.hip, pose.trunk, TRUNK)
    neck = _at(shoulder, pose.neck, NECK)
    return {
        "trunk": [pose.hip, shoulder, neck],
        "head": [_at(neck, pose.neck, HEAD)],
        "near_arm": _chain(shoulder, pose.near_arm, (UPPER_ARM, FOREARM)),
        "far_arm": _chain(shoulder, pose.far_arm, (UPPER_ARM, FOREARM)),
        "near_leg": _chain(pose.hip, pose.near_leg, (THIGH, SHIN, FOOT)),
        "far_leg": _chain(pose.hip, pose.far_leg, (THIGH, SHIN, FOOT)),
    }


BASE = HEIGHT - 8  # the floor's line in the picture, where SVG's y runs down


def _flip(p: Point) -> Point:
    return p[0], BASE - p[1]


def _xy(p: Point) -> str:
    x, y = _flip(p)
    return f"{x:.1f},{y:.1f}"


def svg(pose: Pose, title: str) -> str:
    """The pose as a standalone SVG document, `title` its accessible name."""
    j = joints(pose)
    far, near = "#9aa5ad", "#1d2b36"

    def line(points: list[Point], colour: str, width: float = 6.0) -> str:
        return (f'<polyline points="{" ".join(_xy(p) for p in points)}" fill="none" stroke="{colour}" '
                f'stroke-width="{width}" stroke-linecap="round" stroke-linejoin="round"/>')

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(title)}">', f"<title>{escape(title)}</title>",
             f'<line x1="4" y1="{BASE:.1f}" x2="{WIDTH - 4}" y2="{BASE:.1f}" '
             f'stroke="#c9b99a" stroke-width="3" stroke-linecap="round"/>']
    if pose.chair:
        hx, hy = pose.hip
        parts.append(line([(hx - 22, hy + 52), (hx - 22, hy - 3), (hx + 20, hy - 3)], "#c9b99a", 4))
        parts.append(line([(hx - 20, hy - 3), (hx - 20, 0)], "#c9b99a", 4))
        parts.append(line([(hx + 18, hy - 3), (hx + 18, 0)], "#c9b99a", 4))
    parts += [line(j["far_arm"], far), line(j["far_leg"], far), line(j["trunk"], near, 7),
              line(j["near_leg"], near), line(j["near_arm"], near)]
    cx, cy = _flip(j["head"][0])
    parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{HEAD}" fill="#ffffff" stroke="{near}" stroke-width="5"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# --- the positions -------------------------------------------------------------------------

_LYING = 9.0  # the height of a body lying on the floor
_HIP = 105.0  # where the hip of a body lying on the floor is, from the left
_STRAIGHT = Limb((0.0, 0.0, 90.0))  # a leg straight on the floor, toes up
_STRAIGHT_PRONE = Limb((0.0, 0.0, -10.0))  # face down: the toes against the floor
_FOOT_DOWN = Limb(reach=(140.0, _LYING + 2), bend=1, foot=0.0)  # knee up, foot flat on the floor
_BY_SIDES = Limb((0.0, 0.0))


def _on_back(near_leg: Limb, far_leg: Limb, hands: Point) -> Pose:
    arm = Limb(reach=hands, bend=-1)
    return Pose((_HIP, _LYING), 180.0, 180.0, arm, arm, near_leg, far_leg)


def _on_stomach(trunk: float, neck: float, arm: Limb) -> Pose:
    return Pose((_HIP, _LYING), trunk, neck, arm, arm, _STRAIGHT_PRONE, _STRAIGHT_PRONE)


_KNEE_TO_CHEST = Limb((120.0, -5.0, 60.0))
_GLIDE_BENT = Limb(reach=(135.0, 30.0), bend=1, foot=-50.0)
_GLIDE_STRAIGHT = Limb((92.0, 92.0, 180.0))

POSES: dict[str, tuple[tuple[str, Pose], ...]] = {
    "knees-to-chest": (("hold", _on_back(_KNEE_TO_CHEST, _KNEE_TO_CHEST, (88.0, 46.0))),),
    "knee-to-opposite-shoulder": (("hold", _on_back(_KNEE_TO_CHEST, _STRAIGHT, (88.0, 46.0))),),
    "figure-four": (("hold", _on_back(Limb(reach=(99.0, 42.0), bend=-1, foot=-30.0),
                                      Limb((100.0, 0.0, 90.0)), (97.0, 36.0))),),
    "sciatic-nerve-glide": (
        ("bent", _on_back(_GLIDE_BENT, _FOOT_DOWN, (96.0, 38.0))),
        ("straight", _on_back(_GLIDE_STRAIGHT, _FOOT_DOWN, (96.0, 38.0))),
    ),
    "prone-lying": (("hold", _on_stomach(180.0, 185.0, _BY_SIDES)),),
    "prone-on-elbows": (("hold", _on_stomach(155.0, 160.0, Limb((-90.0, 180.0)))),),
    "press-up": (
        ("down", _on_stomach(180.0, 185.0, Limb(reach=(60.0, 3.0), bend=1))),
        ("up", _on_stomach(135.0, 145.0, Limb(reach=(62.0, 3.0), bend=1))),
    ),
    "sitting-flexion": (("hold", Pose((100.0, 45.0), 15.0, -50.0, Limb(reach=(146.0, 12.0), bend=1),
                                      Limb(reach=(146.0, 12.0), bend=1), Limb((0.0, -90.0, 0.0)),
                                      Limb((0.0, -90.0, 0.0)), chair=True)),),
}


def drawings(exercise: str, name: str) -> list[tuple[str, str]]:
    """The exercise's pictures: (which end or step, SVG), one for a held position, two for a
    movement (its two ends). An exercise with no pose of its own (one a person wrote) has none."""
    return [(step, svg(pose, name if len(POSES[exercise]) == 1 else f"{name}: {step}"))
            for step, pose in POSES.get(exercise, ())]
