using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HealthBlock.Wearable.Core.Tests;

/// <summary>
/// firmware/facades/manifest.json and the facade files stay in step: every facade listed, every listed facade
/// present, and each facade still the file whose members verify-upstream.sh last checked (its SHA-256).
/// </summary>
public partial class FacadeManifestTests
{
    private static readonly string Folder = RepositoryFiles.PathOf("firmware/facades");

    public static TheoryData<string> Entries()
    {
        var data = new TheoryData<string>();
        foreach (var entry in Manifest())
        {
            data.Add(entry.GetProperty("facade").GetString()!);
        }

        return data;
    }

    [Fact]
    public void Every_facade_file_is_in_the_manifest_and_every_listed_file_exists()
    {
        var listed = Manifest().Select(e => e.GetProperty("facade").GetString()!).ToList();
        var present = Directory.EnumerateFiles(Folder, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(present.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void A_facade_is_the_file_last_checked_against_its_recorded_upstream_source(string facade)
    {
        var entry = Manifest().Single(e => e.GetProperty("facade").GetString() == facade);
        var repository = entry.GetProperty("repository").GetString()!;

        Assert.Equal(entry.GetProperty("facadeSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Folder, facade)))));
        Assert.Matches(Sha1(), entry.GetProperty("commit").GetString()!);
        Assert.Matches(Sha256(), entry.GetProperty("upstreamSha256").GetString()!);
        Assert.StartsWith("nanoframework/", repository, StringComparison.Ordinal);
        Assert.Equal(repository["nanoframework/".Length..] + "/" + entry.GetProperty("path").GetString(), facade);
        Assert.Matches(Version(), entry.GetProperty("packageVersion").GetString()!);
        Assert.StartsWith("v", entry.GetProperty("tag").GetString()!, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void A_facade_has_signatures_only(string facade)
    {
        var code = string.Join('\n', File.ReadAllLines(Path.Combine(Folder, facade)).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));

        Assert.DoesNotMatch(Statement(), code);
        Assert.StartsWith("// Facade for the device build check: signatures only", File.ReadAllText(Path.Combine(Folder, facade)), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_package_the_facades_stand_for_is_pinned_in_packages_config()
    {
        var config = File.ReadAllText(RepositoryFiles.PathOf("firmware/HealthBlock.Wearable/packages.config"));

        foreach (var entry in Manifest())
        {
            var pin = $"<package id=\"{entry.GetProperty("package").GetString()}\" version=\"{entry.GetProperty("packageVersion").GetString()}\"";
            Assert.Contains(pin, config, StringComparison.Ordinal);
        }
    }

    private static List<JsonElement> Manifest()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")));
        return [.. document.RootElement.GetProperty("files").EnumerateArray().Select(e => e.Clone())];
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex Sha1();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256();

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex Version();

    // Anything in a body but "throw null": assignments, calls, returns, new objects.
    [GeneratedRegex(@"\breturn\b|\bnew\s+\w|=>(?!\s*throw null)|\{\s*(get|set)\s*\{")]
    private static partial Regex Statement();
}
