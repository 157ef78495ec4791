#!/usr/bin/python3
"""Writes the hand-built TIDE cases of tests/data/tide-cases/: small COCO ground-truth/results pairs in which each
error type is known by construction (see CASES). Deterministic; rerun after editing a case, then rerun
tide_reference.py to refresh the expected values (README.md)."""
import json
import os
import sys

CATEGORIES = [{'id': 1, 'name': 'cat-a', 'supercategory': 'x'}, {'id': 2, 'name': 'cat-b', 'supercategory': 'x'}]
A, B = 1, 2


def box_polygon(b):
    x, y, w, h = b
    return [[x, y, x + w, y, x + w, y + h, x, y + h]]


def case(images, gts, dets):
    """images: ids; gts: (image, cat, box[, crowd]); dets: (image, cat, box, score)."""
    anns = []
    for i, g in enumerate(gts):
        img, cat, b = g[:3]
        crowd = g[3] if len(g) > 3 else 0
        anns.append({'id': i + 1, 'image_id': img, 'category_id': cat, 'bbox': b, 'area': b[2] * b[3],
                     'iscrowd': crowd, 'segmentation': box_polygon(b)})
    gt = {'images': [{'id': i, 'width': 640, 'height': 480, 'file_name': f'{i:012d}.jpg'} for i in images],
          'annotations': anns, 'categories': CATEGORIES}
    dt = [{'image_id': img, 'category_id': cat, 'bbox': b, 'score': s} for img, cat, b, s in dets]
    return gt, dt


# A matched pair on its own image gives every case a non-zero AP to lose.
MATCHED = [(9, A, [300, 300, 50, 50])]
MATCHED_DET = [(9, A, [300, 300, 50, 50], 0.8)]

CASES = {
    # A box of class B exactly on a class-A ground truth: Cls 1 (the ground truth is 'usable', so not missed).
    'cls': case([1, 9], [(1, A, [10, 10, 100, 100])] + MATCHED, [(1, B, [10, 10, 100, 100], 0.9)] + MATCHED_DET),
    # Right class, IoU 1/3: Loc 1.
    'loc': case([1, 9], [(1, A, [10, 10, 100, 100])] + MATCHED, [(1, A, [60, 10, 100, 100], 0.9)] + MATCHED_DET),
    # Wrong class and IoU 1/3: Both 1; nothing can fix its ground truth, so also Miss 1.
    'both': case([1, 9], [(1, A, [10, 10, 100, 100])] + MATCHED, [(1, B, [60, 10, 100, 100], 0.9)] + MATCHED_DET),
    # A second box (IoU 0.905) on a matched ground truth: Dupe 1.
    'dupe': case([1, 9], [(1, A, [10, 10, 100, 100])] + MATCHED,
                 [(1, A, [10, 10, 100, 100], 0.9), (1, A, [15, 10, 100, 100], 0.85)] + MATCHED_DET),
    # A box far from every ground truth: Bkg 1.
    'bkg': case([1, 9], [(1, A, [10, 10, 100, 100])] + MATCHED,
                [(1, A, [10, 10, 100, 100], 0.9), (1, A, [400, 300, 50, 50], 0.85)] + MATCHED_DET),
    # A ground truth with no box near it: Miss 1.
    'miss': case([1, 9], [(1, A, [10, 10, 100, 100]), (1, B, [300, 200, 80, 80])] + MATCHED,
                 [(1, A, [10, 10, 100, 100], 0.9)] + MATCHED_DET),
    # Crowd boxes as ignore regions: a class-A box inside a class-A crowd is ignored (no AP point) but still gets an
    # error (Bkg); a class-B box there is not ignored (Bkg); image 2 has only a crowd (Bkg for its ignored box).
    'crowd': case([1, 2, 9],
                  [(1, A, [10, 10, 100, 100]), (1, A, [200, 200, 200, 200], 1), (2, A, [0, 0, 300, 300], 1)] + MATCHED,
                  [(1, A, [10, 10, 100, 100], 0.9), (1, A, [250, 250, 50, 50], 0.8), (1, B, [250, 250, 50, 50], 0.7),
                   (2, A, [10, 10, 50, 50], 0.6)] + MATCHED_DET),
    # Equal scores across and within images (as INT8 outputs often have): the order of ties decides the dAPs.
    'ties': case([1, 2, 3],
                 [(1, A, [10, 10, 100, 100]), (2, A, [20, 20, 100, 100]), (3, A, [30, 30, 100, 100]), (3, B, [300, 200, 60, 60])],
                 [(1, A, [10, 10, 100, 100], 0.5), (1, A, [400, 300, 50, 50], 0.5),
                  (2, A, [400, 300, 50, 50], 0.5), (2, A, [20, 20, 100, 100], 0.5), (2, A, [70, 20, 100, 100], 0.5),
                  (3, B, [30, 30, 100, 100], 0.5), (3, A, [30, 30, 100, 100], 0.25), (3, B, [300, 200, 60, 60], 0.25)]),
    # Detections on an image that has no ground truth at all: Bkg for each.
    'no-gt-image': case([1, 2], [(1, A, [10, 10, 100, 100])],
                        [(1, A, [10, 10, 100, 100], 0.9), (2, A, [10, 10, 100, 100], 0.7), (2, B, [50, 50, 20, 20], 0.95)]),
    # 105 boxes on one image: only the top 100 by score count (ties at the cut keep file order).
    'over-100': case([1], [(1, A, [10, 10, 100, 100]), (1, B, [300, 200, 80, 80])],
                     [(1, A, [400 + (i % 5), 300, 50, 50], 0.5) for i in range(99)]
                     + [(1, A, [10, 10, 100, 100], 0.4), (1, B, [300, 200, 80, 80], 0.3)]
                     + [(1, A, [10, 10, 100, 100], 0.6), (1, B, [300, 200, 80, 80], 0.5), (1, B, [0, 0, 5, 5], 0.5)]),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'tests', 'data', 'tide-cases')
    for name, (gt, dt) in CASES.items():
        d = os.path.join(out, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, 'gt.json'), 'w') as f:
            json.dump(gt, f, separators=(',', ':'))
        with open(os.path.join(d, 'dt.json'), 'w') as f:
            json.dump(dt, f, separators=(',', ':'))


if __name__ == '__main__':
    main()
