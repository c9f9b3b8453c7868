namespace HealthBlock.Architecture.Tests;

/// <summary>
/// Small parts (issue 14): no class — counted across all its partial files — is over 400 lines, except fuzz mutators
/// (tables of mutation cases); a product file declares one public type (the nanoFramework facades mirror their
/// upstream files one to one, so they keep the upstream's grouping).
/// </summary>
public sealed class SourceRulesTests
{
    /// <summary>Most lines a class may span, all its partial declarations together.</summary>
    public const int MaxClassLines = 400;

    private static readonly Lazy<IReadOnlyList<SourceType>> Repository = new(() => SourceTypes.Load(RepositoryFiles.Root));

    [Fact]
    public void No_class_is_over_400_lines_counting_all_its_partial_files()
    {
        var types = Repository.Value;

        Assert.True(types.Count > 500, $"only {types.Count} types found: is the repository there?");
        Assert.Empty(Oversized(types));
    }

    [Fact]
    public void A_product_file_declares_one_public_type()
    {
        var offenders = Repository.Value
            .Where(t => t.IsPublic && !IsTestOrBench(t.Project) && !t.File.StartsWith("firmware/facades/", StringComparison.Ordinal))
            .GroupBy(t => t.File)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(t => t.Name))}");

        Assert.Empty(offenders);
    }

    [Fact]
    public void Partial_declarations_in_several_files_are_added_up_and_a_mutator_file_is_exempt()
    {
        var line = new string('\n', 250);
        var types = SourceTypes.Read("nodes/Big/A.cs", "namespace N;\npublic sealed partial class Node\n{" + line + "}\n")
            .Concat(SourceTypes.Read("nodes/Big/B.cs", "namespace N\n{\n    public sealed partial class Node\n    {" + line + "    }\n}\n"))
            .Concat(SourceTypes.Read("bench/HealthBlock.Fuzzing/CborMutator.cs", "namespace F;\ninternal sealed class CborMutator\n{" + new string('\n', 500) + "}\n"))
            .ToList();

        var oversized = Assert.Single(Oversized(types));
        Assert.StartsWith("nodes/Big N.Node: 504 lines", oversized, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Oversized(IEnumerable<SourceType> types) => types
        .Where(t => !t.File.EndsWith("Mutator.cs", StringComparison.Ordinal))
        .GroupBy(t => (t.Project, t.Name))
        .Select(g => (g.Key, Lines: g.Sum(t => t.Lines), Files: g.Select(t => t.File).Distinct()))
        .Where(x => x.Lines > MaxClassLines)
        .Select(x => $"{x.Key.Project} {x.Key.Name}: {x.Lines} lines in {string.Join(", ", x.Files)}");

    private static bool IsTestOrBench(string project) =>
        project.EndsWith("Tests", StringComparison.Ordinal) || project.StartsWith("bench/", StringComparison.Ordinal) || project.StartsWith("hardware-tests/", StringComparison.Ordinal);
}
