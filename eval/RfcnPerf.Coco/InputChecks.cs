using System.Globalization;
using RfcnPerf.Coco.Masks;

namespace RfcnPerf.Coco;

/// <summary>
/// What an evaluation needs from the annotations it evaluates, checked before any work starts, so a bad input is
/// one clear <see cref="CocoException"/> rather than pycocotools' KeyError or numpy broadcast error half-way.
/// Only the annotations in evaluated cells are checked, as pycocotools only touches those.
/// </summary>
internal static class InputChecks
{
    public static void Check(EvalSetup setup, CocoGroundTruth groundTruth, CocoResults results, CellIndex gtCells, CellIndex dtCells)
    {
        var gt = groundTruth.Annotations;
        string type = CocoIouTypeNames.Name(setup.IouType);
        if (setup.IouType != CocoIouType.Bbox && (groundTruth.IouType != setup.IouType || results.IouType != setup.IouType))
        {
            throw new CocoException($"a {type} evaluation needs the ground truth and the results read for {type} (they were read for {CocoIouTypeNames.Name(groundTruth.IouType)} and {CocoIouTypeNames.Name(results.IouType)})");
        }

        if (setup.IouType == CocoIouType.Segm)
        {
            var masks = gt.Segmentations!;
            foreach (int a in gtCells.Items)
            {
                if (masks.Kind[a] == SegmentationKind.None)
                {
                    throw new CocoException(string.Create(CultureInfo.InvariantCulture, $"{groundTruth.Source}: annotations[{a}] (id {gt.Id[a]}): no 'segmentation', but a segm evaluation needs the mask of every ground truth it evaluates (pycocotools: KeyError('segmentation'))"));
                }
            }
        }
        else if (setup.IouType == CocoIouType.Keypoints)
        {
            int expected = 3 * setup.KeypointSigmas.Length;
            string why = string.Create(CultureInfo.InvariantCulture, $"one sigma per keypoint and {setup.KeypointSigmas.Length} sigmas are given, so {expected} numbers (x, y, v per keypoint)");
            foreach (int a in gtCells.Items)
            {
                if (double.IsNaN(gt.NumKeypoints![a]))
                {
                    throw new CocoException(string.Create(CultureInfo.InvariantCulture, $"{groundTruth.Source}: annotations[{a}] (id {gt.Id[a]}): no 'num_keypoints' (pycocotools: KeyError('num_keypoints')); is this a person_keypoints file?"));
                }

                int n = gt.Keypoints!.Length[a];
                if (n != expected)
                {
                    throw new CocoException(string.Create(CultureInfo.InvariantCulture, $"{groundTruth.Source}: annotations[{a}] (id {gt.Id[a]}): {(n < 0 ? "no 'keypoints'" : $"{n} keypoint numbers ({n / 3} keypoints)")}, expected {why}"));
                }
            }

            foreach (int d in dtCells.Items)
            {
                int n = results.Keypoints!.Length[d];
                if (n != expected)
                {
                    throw new CocoException(string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", results.Sources)}: result {d} (0-based, in the order read): {n} keypoint numbers ({n / 3} keypoints), expected {why}"));
                }
            }
        }
    }
}
