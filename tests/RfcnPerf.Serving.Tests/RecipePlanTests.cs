using RfcnPerf.Serving.Load;

namespace RfcnPerf.Serving.Tests;

/// <summary><c>rfcnperf load --recipe</c>: the recipe's request counts unless the user gives others.</summary>
public sealed class RecipePlanTests
{
    [Fact]
    public void By_default_batch_1_is_10_warm_up_and_20_requests_and_batch_128_is_2_and_10()
    {
        Assert.Equal([new RecipePlan(1, 10, 20), new RecipePlan(128, 2, 10)], RecipeRunner.Plan(128, requests: null, warmup: null));
    }

    [Fact]
    public void Given_counts_apply_to_both_scenarios_even_when_they_equal_a_default()
    {
        Assert.Equal([new RecipePlan(1, 2, 5), new RecipePlan(16, 2, 5)], RecipeRunner.Plan(16, requests: 5, warmup: 2));
        Assert.Equal([new RecipePlan(1, 0, 20), new RecipePlan(128, 0, 10)], RecipeRunner.Plan(128, requests: null, warmup: 0));
    }

    [Fact]
    public void A_recipe_batch_of_1_runs_the_latency_scenario_once()
    {
        Assert.Equal([new RecipePlan(1, 10, 20)], RecipeRunner.Plan(1, requests: null, warmup: null));
    }
}
