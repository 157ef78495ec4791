using System.Text;

namespace RfcnPerf.Serving.Tests;

/// <summary>The nested-list scanner and its hand-over back to Utf8JsonReader.</summary>
public sealed class NestedListParserTests
{
    [Theory]
    [InlineData("{\"instances\": [[[[1,2,3],[4,5,6]],[[7,8,9],[10,11,255]]]]}")]
    [InlineData("{ \"instances\" : [ [ [ [1, 2, 3] , [4,5,6] ] ,\n\t[[7 ,8, 9],[10,11,255]] ] ] , \"signature_name\": \"serving_default\" }")]
    [InlineData("{\"inputs\": {\"inputs\": [[[[1,2,3],[4,5,6]],[[7,8,9],[10,11,255]]]]}, \"other\": {\"x\": [1, 2]}}")]
    public void Compact_and_spaced_lists_give_the_same_pixels_and_parsing_resumes_after_them(string json)
    {
        var (images, _) = TfServingRest.ParsePredictBody(Encoding.UTF8.GetBytes(json), 1000, 8);
        var image = Assert.Single(images);
        Assert.Equal((2, 2), (image.Width, image.Height));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255], image.ToRgb());
        image.Dispose();
    }

    [Fact]
    public void Two_images_of_different_sizes_and_a_key_after_them()
    {
        var json = "{\"instances\": [[[[1,2,3]]], [[[4,5,6],[7,8,9]]]], \"signature_name\": \"nope\"}";
        var error = Assert.Throws<ServingException>(() => TfServingRest.ParsePredictBody(Encoding.UTF8.GetBytes(json), 1000, 8));
        Assert.Contains("\"nope\" not found", error.Message, StringComparison.Ordinal);

        var (images, row) = TfServingRest.ParsePredictBody(Encoding.UTF8.GetBytes(json.Replace("nope", "serving_default", StringComparison.Ordinal)), 1000, 8);
        Assert.True(row);
        Assert.Equal([(1, 1), (2, 1)], images.Select(i => (i.Width, i.Height)));
        Assert.Equal([4, 5, 6, 7, 8, 9], images[1].ToRgb());
        ImageJson.Dispose(images);
    }

    [Theory]
    [InlineData("[[[01,2,3]]]", "leading zero")]
    [InlineData("[[[1,2,3]],[[1,2,3],[4,5,6]]]", "row has 2 pixels but row 0 has 1")]
    [InlineData("[[[1,2,3] [4,5,6]]]", "JSON Parse error")]
    [InlineData("[[[1e2,2,3]]]", "is not a uint8")]
    [InlineData("[]", "empty image")]
    public void Inputs_the_scanner_refuses_get_the_readers_error(string image, string expected)
    {
        var json = "{\"instances\": [" + image + "]}";
        var error = Assert.Throws<ServingException>(() => TfServingRest.ParsePredictBody(Encoding.UTF8.GetBytes(json), 1000, 8));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_pixel_limit_applies_to_nested_lists()
    {
        var json = "{\"instances\": [[[[1,2,3],[1,2,3],[1,2,3]],[[1,2,3],[1,2,3],[1,2,3]]]]}";
        var error = Assert.Throws<ServingException>(() => TfServingRest.ParsePredictBody(Encoding.UTF8.GetBytes(json), 5, 8));
        Assert.Contains("limit of 5 pixels", error.Message, StringComparison.Ordinal);
    }
}
