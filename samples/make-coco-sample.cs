// Picks the bundled COCO val2017 sample from a full COCO folder (standard layout: val2017/ and
// annotations/instances_val2017.json; any subset of the official file works). Run from the repository root:
//   dotnet run samples/make-coco-sample.cs -- /path/to/coco samples/coco-val2017
// The evaluation set always holds the images the tests name (clearly visible persons for the detector checks), then the greedy pick below fills the rest.
// Evaluation images: greedy, each next image the one adding the most categories not yet covered (ties: the
// smaller file, then the lower id), until the evaluation budget is spent; all their official annotations are
// kept and the file keeps all 80 categories. Calibration images: annotated images not picked for evaluation
// (their licences are known; their annotations stay out), lowest file name first, until their budget is
// spent. Deterministic: the same input folder gives the same sample.
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

const long EvalBudget = 6_600_000;
const long CalibrationBudget = 3_400_000;
const int MaxEvalImages = 48;
long[] required = [252219, 269316, 491008, 397133];

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run samples/make-coco-sample.cs -- COCO_DIR OUT_DIR");
    return 2;
}

var source = args[0];
var output = args[1];
var gtPath = Path.Combine(source, "annotations", "instances_val2017.json");
var gt = JsonNode.Parse(File.ReadAllText(gtPath))!.AsObject();
var images = gt["images"]!.AsArray().Select(i => i!.AsObject()).ToList();
var annotations = gt["annotations"]!.AsArray().Select(a => a!.AsObject()).ToList();
var byImage = annotations.GroupBy(a => (long)a["image_id"]!).ToDictionary(g => g.Key, g => g.ToList());
long FileSize(JsonObject image) => new FileInfo(Path.Combine(source, "val2017", (string)image["file_name"]!)).Length;

var covered = new HashSet<long>();
var picked = new List<JsonObject>();
long evalBytes = 0;
var candidates = images.Where(i => byImage.ContainsKey((long)i["id"]!) && File.Exists(Path.Combine(source, "val2017", (string)i["file_name"]!))).ToList();
foreach (var id in required)
{
    var image = candidates.Single(i => (long)i["id"]! == id);
    candidates.Remove(image);
    picked.Add(image);
    evalBytes += FileSize(image);
    covered.UnionWith(byImage[id].Select(a => (long)a["category_id"]!));
}

while (picked.Count < MaxEvalImages)
{
    var next = candidates
        .Where(i => evalBytes + FileSize(i) <= EvalBudget)
        .Select(i => (Image: i, Gain: byImage[(long)i["id"]!].Select(a => (long)a["category_id"]!).Distinct().Count(c => !covered.Contains(c))))
        .OrderByDescending(x => x.Gain).ThenBy(x => FileSize(x.Image)).ThenBy(x => (long)x.Image["id"]!)
        .Select(x => x.Image)
        .FirstOrDefault();
    if (next is null)
    {
        break;
    }

    candidates.Remove(next);
    picked.Add(next);
    evalBytes += FileSize(next);
    covered.UnionWith(byImage[(long)next["id"]!].Select(a => (long)a["category_id"]!));
}

picked.Sort((a, b) => ((long)a["id"]!).CompareTo((long)b["id"]!));
var pickedIds = picked.Select(i => (long)i["id"]!).ToHashSet();
// Calibration images come from the annotation file too (so each one's licence and Flickr URL are known), never
// from the picked evaluation images; their annotations are left out of the sample's file.
var pool = images.Where(i => !pickedIds.Contains((long)i["id"]!) && File.Exists(Path.Combine(source, "val2017", (string)i["file_name"]!)))
    .Select(i => (string)i["file_name"]!).ToList();

var calibration = new List<string>();
long calibrationBytes = 0;
foreach (var file in pool.Order(StringComparer.Ordinal))
{
    var size = new FileInfo(Path.Combine(source, "val2017", file)).Length;
    if (calibrationBytes + size > CalibrationBudget)
    {
        continue;
    }

    calibration.Add(file);
    calibrationBytes += size;
}

// The official val2017 licence table (instances_val2017.json "licenses"), used when the source file omits it.
JsonArray OfficialLicenses() => new(
    License(1, "Attribution-NonCommercial-ShareAlike License", "http://creativecommons.org/licenses/by-nc-sa/2.0/"),
    License(2, "Attribution-NonCommercial License", "http://creativecommons.org/licenses/by-nc/2.0/"),
    License(3, "Attribution-NonCommercial-NoDerivs License", "http://creativecommons.org/licenses/by-nc-nd/2.0/"),
    License(4, "Attribution License", "http://creativecommons.org/licenses/by/2.0/"),
    License(5, "Attribution-ShareAlike License", "http://creativecommons.org/licenses/by-sa/2.0/"),
    License(6, "Attribution-NoDerivs License", "http://creativecommons.org/licenses/by-nd/2.0/"),
    License(7, "No known copyright restrictions", "http://flickr.com/commons/usage/"),
    License(8, "United States Government Work", "http://www.usa.gov/copyright.shtml"));
static JsonObject License(int id, string name, string url) => new() { ["url"] = url, ["id"] = id, ["name"] = name };

var licenses = gt["licenses"] is JsonArray { Count: > 0 } l ? l.DeepClone().AsArray() : OfficialLicenses();
var sample = new JsonObject
{
    ["info"] = new JsonObject
    {
        ["description"] = $"RfcnPerf bundled sample: {picked.Count} COCO val2017 images with their official instances_val2017 annotations (all 80 categories listed)",
        ["url"] = "http://cocodataset.org",
        ["version"] = "1.0",
        ["year"] = 2017,
        ["contributor"] = "COCO Consortium",
        ["date_created"] = "2017/09/01",
    },
    ["licenses"] = licenses,
    ["images"] = new JsonArray(picked.Select(i => (JsonNode)i.DeepClone()).ToArray()),
    ["annotations"] = new JsonArray(annotations.Where(a => pickedIds.Contains((long)a["image_id"]!)).OrderBy(a => (long)a["id"]!).Select(a => (JsonNode)a.DeepClone()).ToArray()),
    ["categories"] = gt["categories"]!.DeepClone(),
};

Directory.CreateDirectory(Path.Combine(output, "annotations"));
Directory.CreateDirectory(Path.Combine(output, "val2017"));
foreach (var stale in Directory.EnumerateFiles(Path.Combine(output, "val2017")))
{
    File.Delete(stale);
}

foreach (var file in picked.Select(i => (string)i["file_name"]!).Concat(calibration))
{
    File.Copy(Path.Combine(source, "val2017", file), Path.Combine(output, "val2017", file), overwrite: true);
}

File.WriteAllText(Path.Combine(output, "annotations", "instances_val2017.json"), sample.ToJsonString());
File.WriteAllLines(Path.Combine(output, "calibration.txt"), calibration);

var licenseNames = licenses.ToDictionary(x => (int)x!["id"]!, x => ((string)x!["name"]!, (string)x!["url"]!));
var text = new StringBuilder();
text.AppendLine("# Licences of the bundled COCO val2017 sample").AppendLine()
    .AppendLine("Annotations: the official COCO 2017 annotations (instances_val2017.json), (c) COCO Consortium, licensed")
    .AppendLine("under Creative Commons Attribution 4.0 (https://creativecommons.org/licenses/by/4.0/); this file is a subset,")
    .AppendLine("unchanged records. Images: the COCO val2017 copies of Flickr photos; each photo keeps its author's licence,")
    .AppendLine("listed below as given by the annotation file (licence id, name and URL; the Flickr page of the photo).")
    .AppendLine("COCO does not own the images' copyright: see https://cocodataset.org/#termsofuse.").AppendLine()
    .AppendLine("| file | role | licence | Flickr URL |").AppendLine("|---|---|---|---|");
var allImages = images.ToDictionary(i => (string)i["file_name"]!, StringComparer.Ordinal);
foreach (var file in picked.Select(i => (string)i["file_name"]!).Concat(calibration))
{
    var role = calibration.Contains(file) ? "calibration" : "evaluation";
    var image = allImages[file];
    var lic = licenseNames[(int)image["license"]!];
    text.AppendLine(CultureInfo.InvariantCulture, $"| {file} | {role} | {lic.Item1} ({lic.Item2}) | {(string?)image["flickr_url"]} |");
}

File.WriteAllText(Path.Combine(output, "LICENSE.md"), text.ToString());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{picked.Count} evaluation images ({evalBytes / 1e6:F2} MB, {covered.Count} of 80 categories present, {sample["annotations"]!.AsArray().Count} annotations), {calibration.Count} calibration images ({calibrationBytes / 1e6:F2} MB) -> {output}"));
return 0;
