namespace HealthBlock.Architecture.Tests;

/// <summary>
/// The project graph points one way (issue 14): product projects never reference test, bench or hardware-test
/// projects, and test projects never reference a bench executable (what both need lives in a library).
/// </summary>
public sealed class ProjectGraphTests
{
    [Fact]
    public void The_repositorys_project_graph_points_one_way()
    {
        var graph = ProjectGraph.Load(RepositoryFiles.Root);

        Assert.Contains(graph.Projects, p => p.Path == "nodes/HealthBlock.Accounting/HealthBlock.Accounting.csproj" && p.Kind == ProjectKind.Product);
        Assert.Contains(graph.Projects, p => p.Path == "bench/HealthBlock.Fuzz.Bench/HealthBlock.Fuzz.Bench.csproj" && p.Kind == ProjectKind.Bench && p.IsExecutable);
        Assert.Contains(graph.Projects, p => p.Path == "hardware-tests/HealthBlock.HardwareTests/HealthBlock.HardwareTests.csproj" && p.Kind == ProjectKind.HardwareTest);
        Assert.Empty(graph.Violations());
    }

    [Fact]
    public void A_product_referencing_a_test_bench_or_hardware_test_project_is_a_violation()
    {
        using var repo = new TempFolder();
        Write(repo, "shared/Lib/Lib.csproj", "../Lib.Tests/Lib.Tests.csproj", "../../bench/Harness/Harness.csproj", "../../hardware-tests/Rig/Rig.csproj");
        Write(repo, "shared/Lib.Tests/Lib.Tests.csproj", "../Lib/Lib.csproj");
        Write(repo, "bench/Harness/Harness.csproj");
        Write(repo, "hardware-tests/Rig/Rig.csproj");

        var violations = ProjectGraph.Load(repo.Path).Violations();

        Assert.Equal(3, violations.Count);
        Assert.All(violations, v => Assert.StartsWith("product project shared/Lib/Lib.csproj references ", v, StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("test project shared/Lib.Tests/Lib.Tests.csproj", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("bench project bench/Harness/Harness.csproj", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("hardware-test project hardware-tests/Rig/Rig.csproj", StringComparison.Ordinal));
    }

    [Fact]
    public void A_test_may_reference_a_bench_library_but_not_a_bench_executable()
    {
        using var repo = new TempFolder();
        Write(repo, "bench/Harness/Harness.csproj");
        Write(repo, "bench/Harness.Bench/Harness.Bench.csproj", exe: true, references: ["../Harness/Harness.csproj"]);
        Write(repo, "nodes/Node.Tests/Node.Tests.csproj", "../../bench/Harness/Harness.csproj");
        Write(repo, "nodes/Other.Tests/Other.Tests.csproj", "..\\..\\bench\\Harness.Bench\\Harness.Bench.csproj");

        var violation = Assert.Single(ProjectGraph.Load(repo.Path).Violations());

        Assert.Contains("test project nodes/Other.Tests/Other.Tests.csproj references the bench executable bench/Harness.Bench/Harness.Bench.csproj", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reference_to_a_missing_project_is_reported_and_build_output_is_not_read()
    {
        using var repo = new TempFolder();
        Write(repo, "nodes/Node/Node.csproj", "../Gone/Gone.csproj");
        Write(repo, "nodes/Node/obj/Copy.csproj", "../../../bench/X/X.csproj");

        var graph = ProjectGraph.Load(repo.Path);

        Assert.Single(graph.Projects);
        Assert.Contains("nodes/Node/Node.csproj references nodes/Gone/Gone.csproj, which does not exist", Assert.Single(graph.Violations()), StringComparison.Ordinal);
    }

    private static void Write(TempFolder repo, string path, params string[] references) => Write(repo, path, exe: false, references);

    private static void Write(TempFolder repo, string path, bool exe, string[] references)
    {
        var file = Path.Combine(repo.Path, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var items = string.Concat(references.Select(r => $"<ProjectReference Include=\"{r}\" />"));
        var output = exe ? "<PropertyGroup><OutputType>Exe</OutputType></PropertyGroup>" : "";
        File.WriteAllText(file, $"<Project Sdk=\"Microsoft.NET.Sdk\">{output}<ItemGroup>{items}</ItemGroup></Project>");
    }
}
