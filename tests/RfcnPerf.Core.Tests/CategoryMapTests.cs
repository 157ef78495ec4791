using System.Text.Json;
using RfcnPerf.Core.Models;
using RfcnPerf.Core.Pipeline;
using RfcnPerf.Testing;

namespace RfcnPerf.Core.Tests;

public sealed class CategoryMapTests
{
    [Fact]
    public void The_annotation_files_categories_give_the_built_in_coco80_map()
    {
        var index = AnnotationIndex.Load(TestPaths.CocoAnnotations);

        var fromFile = CategoryMap.FromCategories(index.Categories);

        Assert.Equal(80, fromFile.Count);
        Assert.Equal(CategoryMap.Coco80.Ids, fromFile.Ids);
        foreach (var id in fromFile.Ids)
        {
            Assert.Equal(CategoryMap.Coco80.NameOf(id), fromFile.NameOf(id));
        }
    }

    [Fact]
    public void Coco80_equals_the_files_categories_sorted_by_id_read_independently()
    {
        // Read with System.Text.Json directly, so a bug in AnnotationIndex cannot hide one in CategoryMap.
        using var doc = JsonDocument.Parse(File.ReadAllBytes(TestPaths.CocoAnnotations));
        var categories = doc.RootElement.GetProperty("categories").EnumerateArray()
            .Select(c => (Id: c.GetProperty("id").GetInt32(), Name: c.GetProperty("name").GetString()!))
            .OrderBy(c => c.Id)
            .ToArray();

        Assert.Equal(categories.Select(c => c.Id), CategoryMap.Coco80.Ids);
        Assert.Equal(categories.Select(c => c.Name), categories.Select(c => CategoryMap.Coco80.NameOf(c.Id)));
    }

    [Theory]
    [InlineData(0, 1, "person")]
    [InlineData(11, 13, "stop sign")]
    [InlineData(79, 90, "toothbrush")]
    public void Class_indices_map_to_coco_ids_with_gaps(int index, int id, string name)
    {
        var fromFile = CategoryMap.FromCategories(AnnotationIndex.Load(TestPaths.CocoAnnotations).Categories);

        Assert.Equal(id, CategoryMap.Coco80.IdOf(index));
        Assert.Equal(id, fromFile.IdOf(index));
        Assert.Equal(name, fromFile.NameOf(id));
    }

    [Fact]
    public void FromCategories_sorts_by_id_whatever_the_file_order()
    {
        var map = CategoryMap.FromCategories([(90, "toothbrush"), (1, "person"), (13, "stop sign")]);

        Assert.Equal([1, 13, 90], map.Ids);
        Assert.Equal(13, map.IdOf(1));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(80)]
    public void An_index_outside_the_map_is_a_user_error(int index)
    {
        var ex = Assert.Throws<RfcnPerfException>(() => CategoryMap.Coco80.IdOf(index));

        Assert.Contains("80 categories", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_ids_get_a_placeholder_name_and_an_empty_list_is_rejected()
    {
        Assert.Equal("id 12", CategoryMap.Coco80.NameOf(12));
        Assert.Throws<RfcnPerfException>(() => CategoryMap.FromCategories([]));
    }
}
