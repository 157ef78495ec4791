#!/usr/bin/python3
"""Expected values for RfcnPerf's TIDE port: runs dbolya/tide (tidecv) itself on COCO ground-truth/results pairs.

Usage (see README.md beside this file):
  /usr/bin/python3 tide_reference.py --tide TIDE_SRC --pycocotools PYCOCOTOOLS_DIR --out OUT.json CASE...
where CASE is a folder holding gt.json and dt.json (its name is the case name), or NAME=GT.json,DT.json.

For each case it records TIDE's AP50 (0-100), the dAP of the six main error types (fix_main_errors, not
progressive), the two special ones (FalsePos, FalseNeg) and the count of each error type, all unrounded
(json.dumps writes Python's repr, so the C# reader recovers the exact doubles).
"""
import argparse
import gzip
import json
import os
import sys
import tempfile


def load_ground_truth(path, datasets, Data):
    """tidecv.datasets.COCO when every annotation has what it reads (a segmentation and the image size) and
    pycocotools can rasterise it; otherwise the same steps with mask=None (TIDE's bbox mode never reads masks; hand-built and golden cases
    have no segmentations)."""
    with open(path) as f:
        coco = json.load(f)
    images = {img['id']: img for img in coco['images']}
    if all('segmentation' in a and 'width' in images.get(a['image_id'], {}) for a in coco['annotations']):
        try:
            return datasets.COCO(path), 'tidecv.datasets.COCO'
        except (IndexError, TypeError, ValueError):
            pass  # a segmentation pycocotools cannot rasterise (e.g. a tiled test case); masks are not needed
    data = Data(os.path.splitext(os.path.basename(path))[0], max_dets=100)
    for img in coco['images']:
        data.add_image(img['id'], img.get('file_name', str(img['id'])))
    for cat in coco.get('categories', []):
        data.add_class(cat['id'], cat.get('name', str(cat['id'])))
    for ann in coco['annotations']:
        if ann['iscrowd']:
            data.add_ignore_region(ann['image_id'], ann['category_id'], ann['bbox'], None)
        else:
            data.add_ground_truth(ann['image_id'], ann['category_id'], ann['bbox'], None)
    return data, 'mirror of tidecv.datasets.COCO without masks'


def run_case(name, gt_path, dt_path, tidecv):
    TIDE = tidecv.TIDE
    gt, loader = load_ground_truth(gt_path, tidecv.datasets, tidecv.Data)
    if dt_path.endswith('.gz'):
        # COCOResult opens a plain file: give it the decompressed copy.
        with gzip.open(dt_path, 'rb') as src, tempfile.NamedTemporaryFile('wb', suffix='.json', delete=False) as dst:
            dst.write(src.read())
        try:
            preds = tidecv.datasets.COCOResult(dst.name, name=name)
        finally:
            os.remove(dst.name)
    else:
        preds = tidecv.datasets.COCOResult(dt_path)
    tide = TIDE()
    run = tide.evaluate(gt, preds, mode=TIDE.BOX, name=name)
    main = tide.get_main_errors()[name]
    special = tide.get_special_errors()[name]
    counts = run.count_errors()
    return {
        'name': name,
        'gtLoader': loader,
        'ap': run.ap,
        'dAP': {t.short_name: main[t.short_name] for t in TIDE._error_types},
        'special': {t.short_name: special[t.short_name] for t in TIDE._special_error_types},
        'counts': {t.short_name: counts[t] for t in TIDE._error_types},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--tide', required=True, help='dbolya/tide source tree (the folder holding tidecv/)')
    parser.add_argument('--pycocotools', required=True, help='folder holding a built pycocotools package')
    parser.add_argument('--out', required=True)
    parser.add_argument('--tide-commit', default='unknown')
    parser.add_argument('cases', nargs='+')
    args = parser.parse_args()
    sys.path.insert(0, args.pycocotools)
    sys.path.insert(0, args.tide)
    os.environ.setdefault('TIDE_PATH', os.path.join(os.path.abspath(os.path.dirname(args.out)), '.tide-cache'))
    import tidecv
    from tidecv.data import Data
    tidecv.Data = Data

    results = []
    for case in args.cases:
        if '=' in case:
            name, paths = case.split('=', 1)
            gt_path, dt_path = paths.split(',')
        else:
            name = os.path.basename(os.path.normpath(case))
            gt_path, dt_path = os.path.join(case, 'gt.json'), os.path.join(case, 'dt.json')
        with (gzip.open(dt_path, 'rt') if dt_path.endswith('.gz') else open(dt_path)) as f:
            if len(json.load(f)) == 0:
                print(f'{name}: skipped (no detections: tidecv divides by zero classes)', file=sys.stderr)
                continue
        results.append(run_case(name, gt_path, dt_path, tidecv))
        r = results[-1]
        print(f"{name}: AP50 {r['ap']:.2f} " + ' '.join(f'{k} {v:.2f}/{r["counts"][k]}' for k, v in r['dAP'].items())
              + ' ' + ' '.join(f'{k} {v:.2f}' for k, v in r['special'].items()), file=sys.stderr)

    import numpy
    out = {
        'generator': 'tools/tide-reference/tide_reference.py',
        'tidecv': {'repository': 'dbolya/tide', 'commit': args.tide_commit, 'version': tidecv.__version__},
        'numpy': numpy.__version__,
        'python': sys.version.split()[0],
        'settings': 'TIDE() defaults: pos_threshold 0.5, background_threshold 0.1, mode bbox, max_dets 100',
        'cases': results,
    }
    with open(args.out, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
