#!/usr/bin/python3
"""Whole-process peer for `rfcnperf eval score`: what a user of pycocotools or faster-coco-eval runs. COCO(gt),
loadRes(dt), COCOeval(gt, dt, iouType) (faster-coco-eval: COCOeval_faster, its C++ core with its default options),
evaluate(), accumulate(), summarize(), then the stats as exact doubles.

usage: score_peer.py pycocotools|faster-coco-eval GT.json DT.json [bbox|segm|keypoints]
"""
import sys

impl, gt_path, dt_path = sys.argv[1], sys.argv[2], sys.argv[3]
iou_type = sys.argv[4] if len(sys.argv) > 4 else "bbox"
if impl == "pycocotools":
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval as Eval
elif impl == "faster-coco-eval":
    from faster_coco_eval import COCO
    from faster_coco_eval import COCOeval_faster as Eval
else:
    sys.exit("first argument: pycocotools or faster-coco-eval")

gt = COCO(gt_path)
dt = gt.loadRes(dt_path)
e = Eval(gt, dt, iou_type)
e.evaluate()
e.accumulate()
e.summarize()
print(list(map(float, e.stats)))
