#!/usr/bin/python3
"""Expected values for RfcnPerf's segm and keypoints evaluator tests, computed by pycocotools itself.

Writes into OUT (default: ./coco-eval-cases-segm-kp):
  <case>/gt.json, dt.json, expected.json, precision.f64, recall.f64   the six small shared cases, decompressed,
                                                                       re-evaluated here and checked bit for bit
                                                                       against their expected.json
  <case>/ious.bin                                                      COCOeval.ious (computeIoU / computeOks) of
                                                                       every non-empty (image, category) cell
  <case>/ious_libm.bin                                                 keypoints: the same with np.exp replaced by
                                                                       the C library's exp (see LibmExp)
  kp_use_cats_0, kp_custom_sigmas_14, segm_use_cats_0                  extra cases (see README.md)
  rle_table.json                                                       maskApi.c on random masks and polygons

Run with Debian's python and a pycocotools built from source (tests never call Python):
  PYTHONPATH=/path/to/pycocotools /usr/bin/python3 generate.py --shared ../shared/coco-eval-cases-segm-kp --out OUT
"""
import argparse
import contextlib
import copy
import gzip
import io
import json
import math
import os
import random
import struct

import numpy as np
import pycocotools
from pycocotools import _mask
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools import cocoeval as cocoeval_module
from pycocotools.cocoeval import COCOeval

SMALL = ["segm_real_rle", "segm_real_bbox_branch", "segm_edge_synthetic",
         "kp_real_persons", "kp_many_dets_ties", "kp_results_with_bbox"]


def quiet(fn, *args):
    with contextlib.redirect_stdout(io.StringIO()) as out:
        value = fn(*args)
    return value, out.getvalue()


def load_json(folder, stem):
    plain = os.path.join(folder, stem + ".json")
    if os.path.exists(plain):
        with open(plain, "rb") as f:
            return f.read()
    with gzip.open(plain + ".gz", "rb") as f:
        return f.read()


def evaluate(gt_dataset, dt_list, iou_type, params):
    gt = COCO()
    gt.dataset = copy.deepcopy(gt_dataset)
    quiet(gt.createIndex)
    dt, _ = quiet(gt.loadRes, copy.deepcopy(dt_list))
    e = COCOeval(gt, dt, iou_type)
    if "useCats" in params:
        e.params.useCats = params["useCats"]
    if "kpt_oks_sigmas_hex" in params:
        e.params.kpt_oks_sigmas = np.array([float.fromhex(h) for h in params["kpt_oks_sigmas_hex"]])
    if "maxDets" in params:
        e.params.maxDets = params["maxDets"]
    _, printed = quiet(lambda: (e.evaluate(), e.accumulate(), e.summarize()))
    return e, printed


def write_ious(e, path):
    # Records in pycocotools' order (imgId sorted, then catId): int64 image id, int64 category id, int32 D,
    # int32 G, then D*G little-endian float64 in C order (row d = detection in score order, column g = ground truth).
    p = e.params
    cat_ids = p.catIds if p.useCats else [-1]
    count = 0
    with open(path, "wb") as f:
        for img_id in p.imgIds:
            for cat_id in cat_ids:
                m = e.ious[img_id, cat_id]
                if len(m) == 0:
                    continue
                m = np.ascontiguousarray(np.asarray(m, dtype="<f8"))
                f.write(struct.pack("<qqii", int(img_id), int(cat_id), m.shape[0], m.shape[1]))
                f.write(m.tobytes(order="C"))
                count += 1
    return count


def expected_doc(name, description, iou_type, params, e, printed, gt_dataset, dt_list):
    stats = [float(s) for s in e.stats]
    names = (["AP", "AP50", "AP75", "APm", "APl", "AR", "AR50", "AR75", "ARm", "ARl"] if iou_type == "keypoints"
             else ["AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"])
    return {
        "case": name,
        "description": description,
        "iouType": iou_type,
        "oracle": "pycocotools %s (%s), numpy %s" % (getattr(pycocotools, "__version__", "2.0.11"), os.environ.get("COCOAPI_COMMIT", "ppwwyyxx/cocoapi ac87f50"), np.__version__),
        "params": params,
        "stats_names": names,
        "stats": stats,
        "stats_repr": [repr(s) for s in stats],
        "stats_hex": [s.hex() for s in stats],
        "summary_printed": [l for l in printed.split("\n") if l.startswith(" Average")],
        "num_gt_anns": len(gt_dataset["annotations"]),
        "num_gt_images": len(gt_dataset["images"]),
        "num_dt": len(dt_list),
        "precision_file": "precision.f64",
        "precision_shape": list(e.eval["precision"].shape),
        "recall_file": "recall.f64",
        "recall_shape": list(e.eval["recall"].shape),
        "array_format": "little-endian float64, C order; -1 = no GT for that setting",
    }


class LibmExp:
    """numpy with np.exp replaced by the C library's exp (math.exp), element by element: computeOks then does the
    arithmetic RfcnPerf does (.NET's Math.Exp calls the same libm), while numpy on an AVX-512 CPU uses its own exp."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def exp(a):
        a = np.asarray(a, dtype=np.float64)
        return np.array([math.exp(v) for v in a.ravel()], dtype=np.float64).reshape(a.shape)


def write_libm_ious(gt_dataset, dt_list, params, path):
    cocoeval_module.np = LibmExp()
    try:
        e, _ = evaluate(gt_dataset, dt_list, "keypoints", params)
    finally:
        cocoeval_module.np = np
    return write_ious(e, path)


def write_case(out, name, gt_bytes, dt_bytes, expected, e):
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "gt.json"), "wb") as f:
        f.write(gt_bytes)
    with open(os.path.join(folder, "dt.json"), "wb") as f:
        f.write(dt_bytes)
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    e.eval["precision"].astype("<f8").tofile(os.path.join(folder, "precision.f64"))
    e.eval["recall"].astype("<f8").tofile(os.path.join(folder, "recall.f64"))
    if expected["iouType"] == "keypoints":
        write_libm_ious(json.loads(gt_bytes), json.loads(dt_bytes), expected["params"], os.path.join(folder, "ious_libm.bin"))
    return write_ious(e, os.path.join(folder, "ious.bin"))


def shared_case(shared, out, name):
    folder = os.path.join(shared, name)
    with open(os.path.join(folder, "expected.json")) as f:
        expected = json.load(f)
    gt_bytes, dt_bytes = load_json(folder, "gt"), load_json(folder, "dt")
    gt_dataset, dt_list = json.loads(gt_bytes), json.loads(dt_bytes)
    e, _ = evaluate(gt_dataset, dt_list, expected["iouType"], expected["params"])
    got = [float(s).hex() for s in e.stats]
    assert got == expected["stats_hex"], (name, got, expected["stats_hex"])
    for array in ("precision", "recall"):
        with gzip.open(os.path.join(folder, array + ".f64.gz"), "rb") as f:
            shipped = np.frombuffer(f.read(), dtype="<f8")
        assert np.array_equal(shipped.view("<u8"), e.eval[array].astype("<f8").ravel().view("<u8")), (name, array)
    dst = os.path.join(out, name)
    os.makedirs(dst, exist_ok=True)
    for stem in ("gt", "dt"):
        with open(os.path.join(dst, stem + ".json"), "wb") as f:
            f.write(load_json(folder, stem))
    for array in ("precision", "recall"):
        with gzip.open(os.path.join(folder, array + ".f64.gz"), "rb") as src, open(os.path.join(dst, array + ".f64"), "wb") as f:
            f.write(src.read())
    with open(os.path.join(dst, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    if expected["iouType"] == "keypoints":
        write_libm_ious(gt_dataset, dt_list, expected["params"], os.path.join(dst, "ious_libm.bin"))
    return write_ious(e, os.path.join(dst, "ious.bin"))


def extra_case(out, name, description, iou_type, params, gt, dt):
    e, printed = evaluate(gt, dt, iou_type, params)
    doc = expected_doc(name, description, iou_type, params, e, printed, gt, dt)
    return write_case(out, name, json.dumps(gt).encode(), json.dumps(dt).encode(), doc, e)


def extra_cases(out):
    made = {}
    src = os.path.join(out, "kp_real_persons")
    gt = json.load(open(os.path.join(src, "gt.json")))
    dt = json.load(open(os.path.join(src, "dt.json")))

    # pycocotools' computeOks reads _gts[imgId, -1] without useCats: always empty, so nothing matches.
    made["kp_use_cats_0"] = extra_case(out, "kp_use_cats_0", "kp_real_persons with useCats=0: computeOks finds no ground truth (AP 0)",
                                       "keypoints", {"useCats": 0}, gt, dt)

    # 14 keypoints (the last three dropped) with custom sigmas, and the category declaring 14 names.
    gt14 = copy.deepcopy(gt)
    for c in gt14["categories"]:
        if "keypoints" in c:
            c["keypoints"] = c["keypoints"][:14]
            c["skeleton"] = [s for s in c.get("skeleton", []) if max(s) <= 14]
    for a in gt14["annotations"]:
        a["keypoints"] = a["keypoints"][:42]
        a["num_keypoints"] = sum(1 for v in a["keypoints"][2::3] if v > 0)
    dt14 = copy.deepcopy(dt)
    for d in dt14:
        d["keypoints"] = d["keypoints"][:42]
    sigmas = [0.05, 0.031, 0.031, 0.04, 0.04, 0.08, 0.08, 0.07, 0.07, 0.06, 0.06, 0.1, 0.1, 0.09]
    made["kp_custom_sigmas_14"] = extra_case(out, "kp_custom_sigmas_14", "kp_real_persons cut to 14 keypoints (category declares 14), custom sigmas given as used (no /10)",
                                             "keypoints", {"kpt_oks_sigmas_hex": [float(s).hex() for s in sigmas]}, gt14, dt14)

    src = os.path.join(out, "segm_edge_synthetic")
    gt = json.load(open(os.path.join(src, "gt.json")))
    dt = json.load(open(os.path.join(src, "dt.json")))
    made["segm_use_cats_0"] = extra_case(out, "segm_use_cats_0", "segm_edge_synthetic with useCats=0: masks pooled over categories",
                                         "segm", {"useCats": 0}, gt, dt)
    return made


def random_mask(rng, h, w):
    m = np.zeros((h, w), dtype=np.uint8)
    for _ in range(rng.randint(0, 4)):
        y0, x0 = rng.randrange(h), rng.randrange(w)
        m[y0:y0 + rng.randint(1, h), x0:x0 + rng.randint(1, w)] = 1
    noise = np.array([[1 if rng.random() < 0.08 else 0 for _ in range(w)] for _ in range(h)], dtype=np.uint8)
    return np.asfortranarray(m ^ noise if rng.random() < 0.5 else m)


def random_polygon(rng, h, w):
    k = rng.randint(1, 12)
    pts = []
    for _ in range(k):
        style = rng.random()
        if style < 0.3:
            pts += [rng.randint(-3, w + 3), rng.randint(-3, h + 3)]
        elif style < 0.6:
            pts += [rng.randint(-6, 2 * w + 6) / 2.0, rng.randint(-6, 2 * h + 6) / 2.0]
        else:
            pts += [round(rng.uniform(-5, w + 5), 3), round(rng.uniform(-5, h + 5), 3)]
    return pts


def rle_table(path, seed=20):
    rng = random.Random(seed)
    masks, polygons, merges, ious = [], [], [], []
    for _ in range(300):
        h, w = rng.randint(1, 40), rng.randint(1, 40)
        m = random_mask(rng, h, w)
        r = mask_utils.encode(m[:, :, None])[0]
        masks.append({
            "h": h, "w": w,
            "bits": "".join(str(b) for b in m.ravel(order="F")),
            "counts": r["counts"].decode(),
            "area": int(mask_utils.area(r)),
            "bbox": [float(v) for v in mask_utils.toBbox(r)],
        })
    for _ in range(300):
        h, w = rng.randint(1, 40), rng.randint(1, 40)
        poly = random_polygon(rng, h, w)
        r = _mask.frPoly([poly], h, w)[0]  # rleFrPoly itself (frPyObjects refuses lists of 4 numbers or fewer)
        polygons.append({"h": h, "w": w, "xy": poly, "counts": r["counts"].decode(),
                         "area": int(mask_utils.area(r)), "bbox": [float(v) for v in mask_utils.toBbox(r)]})
    for _ in range(150):
        h, w = rng.randint(1, 40), rng.randint(1, 40)
        parts = [random_polygon(rng, h, w) for _ in range(rng.randint(2, 4))]
        rles = _mask.frPoly(parts, h, w)
        merged = mask_utils.merge(rles)
        merges.append({"h": h, "w": w, "parts": [r["counts"].decode() for r in rles], "counts": merged["counts"].decode()})
    for _ in range(400):
        h, w = rng.randint(1, 30), rng.randint(1, 30)
        a = mask_utils.encode(random_mask(rng, h, w)[:, :, None])[0]
        b = mask_utils.encode(random_mask(rng, h, w)[:, :, None])[0]
        crowd = rng.random() < 0.3
        value = mask_utils.iou([a], [b], [int(crowd)])
        v = float(value[0][0]) if len(value) else 0.0
        ious.append({"h": h, "w": w, "dt": a["counts"].decode(), "gt": b["counts"].decode(), "crowd": crowd, "iou_hex": v.hex()})
    with open(path, "w") as f:
        json.dump({"seed": seed, "encode": masks, "frPoly": polygons, "merge": merges, "iou": ious}, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", required=True, help="the shared coco-eval-cases-segm-kp folder")
    ap.add_argument("--out", default="coco-eval-cases-segm-kp")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in SMALL:
        print(name, shared_case(args.shared, args.out, name), "IoU matrices")
    for name, n in extra_cases(args.out).items():
        print(name, n, "IoU matrices")
    rle_table(os.path.join(args.out, "rle_table.json"))
    print("rle_table.json")


if __name__ == "__main__":
    main()
