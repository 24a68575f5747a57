"""The pictures of each position: drawn here from joint angles, read back by an XML parser."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from coach.core import data
from coach.core.figure import POSES, drawings, joints

SVG = "{http://www.w3.org/2000/svg}"


def exercise_ids() -> list[str]:
    return sorted(raw["id"] for _, raw in data.read_all("exercises"))


def test_every_built_in_exercise_has_its_picture():
    assert set(POSES) == set(exercise_ids())


@pytest.mark.parametrize("exercise", sorted(POSES))
def test_each_picture_is_a_whole_svg_with_its_name(exercise):
    for _, text in drawings(exercise, "Knees to chest"):
        root = ET.fromstring(text)
        assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 200 110"
        assert root.find(f"{SVG}title").text.startswith("Knees to chest")
        assert len(root.findall(f"{SVG}polyline")) >= 5 and root.find(f"{SVG}circle") is not None


@pytest.mark.parametrize("exercise", sorted(POSES))
def test_the_body_stays_on_the_floor_and_inside_the_frame(exercise):
    for _, pose in POSES[exercise]:
        for name, points in joints(pose).items():
            for x, y in points:
                assert math.isfinite(x) and math.isfinite(y)
                assert 0 <= x <= 200 and -1 <= y <= 100, (exercise, name, x, y)


def test_a_movement_has_two_ends_and_a_hold_one():
    assert [s for s, _ in drawings("sciatic-nerve-glide", "Glide")] == ["bent", "straight"]
    assert [s for s, _ in drawings("press-up", "Press-ups")] == ["down", "up"]
    assert len(drawings("prone-on-elbows", "Propped")) == 1
    assert drawings("an-exercise-someone-wrote", "Mine") == []


def test_a_reached_point_is_reached_when_within_reach():
    _, pose = POSES["figure-four"][0]
    ankle = joints(pose)["near_leg"][2]
    assert ankle == pytest.approx(pose.near_leg.reach, abs=1e-6)


def test_the_same_pose_is_the_same_text():
    assert drawings("press-up", "P") == drawings("press-up", "P")
