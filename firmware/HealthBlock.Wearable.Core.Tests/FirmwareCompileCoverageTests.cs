using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HealthBlock.Wearable.Core.Tests;

/// <summary>
/// Every C# file under firmware/ is compiled by a project CI builds (one listed in HealthBlock.sln), and the device
/// app is compiled the way the device compiles it: by HealthBlock.Wearable.NanoCheck against nanoFramework's
/// mscorlib, with the same file set as HealthBlock.Wearable.nfproj.
/// </summary>
public partial class FirmwareCompileCoverageTests
{
    private const string AppNanoCheck = "firmware/HealthBlock.Wearable.NanoCheck/HealthBlock.Wearable.NanoCheck.csproj";
    private const string CoreNanoCheck = "firmware/HealthBlock.Wearable.Core.NanoCheck/HealthBlock.Wearable.Core.NanoCheck.csproj";
    private const string DeviceProject = "firmware/HealthBlock.Wearable/HealthBlock.Wearable.nfproj";

    [Fact]
    public void Every_firmware_source_file_is_compiled_by_a_project_in_the_solution()
    {
        var projects = SolutionProjects().Select(p => (Path: p, Patterns: CompilePatterns(p))).ToList();

        var uncovered = SourceFiles("firmware").Where(file => !projects.Any(p => p.Patterns.Matches(file))).ToList();

        Assert.True(uncovered.Count == 0, "not compiled by any project of HealthBlock.sln: " + string.Join(", ", uncovered));
        Assert.True(SourceFiles("firmware").Count() > 80);
    }

    [Fact]
    public void The_device_app_core_and_portable_sources_are_compiled_against_the_nanoFramework_mscorlib()
    {
        var app = CompilePatterns(AppNanoCheck);
        var core = CompilePatterns(CoreNanoCheck);
        var device = DeviceSources().ToList();

        Assert.All(device, file => Assert.True(app.Matches(file), file + " is not in " + AppNanoCheck));
        Assert.All(device.Where(f => !f.StartsWith("firmware/HealthBlock.Wearable/", StringComparison.Ordinal)), file => Assert.True(core.Matches(file), file + " is not in " + CoreNanoCheck));
        Assert.Contains("firmware/HealthBlock.Wearable/Program.cs", device);
        Assert.Contains("shared/HealthBlock.Protocol/Pairing/Portable/PairingBlob.cs", device);
        Assert.Contains(AppNanoCheck, SolutionProjects());
        Assert.Contains(CoreNanoCheck, SolutionProjects());
    }

    [Fact]
    public void The_nfproj_and_the_app_NanoCheck_compile_the_same_files()
    {
        var nfproj = CompilePatterns(DeviceProject);
        var app = CompilePatterns(AppNanoCheck);
        var candidates = SourceFiles("firmware").Concat(SourceFiles("shared/HealthBlock.Protocol")).ToList();

        var differ = candidates.Where(f => nfproj.Matches(f) != app.Matches(f)).ToList();

        Assert.True(differ.Count == 0, "compiled by only one of the nfproj and the app NanoCheck: " + string.Join(", ", differ));
        Assert.Contains(candidates, nfproj.Matches);
    }

    [Fact]
    public void The_nfproj_still_lists_packages_config_and_the_nanoFramework_references()
    {
        var project = XDocument.Load(RepositoryFiles.PathOf(DeviceProject));
        var items = project.Descendants().Where(e => e.Name.LocalName is "None" or "Reference").Select(e => (string?)e.Attribute("Include")).ToList();

        Assert.Contains("packages.config", items);
        Assert.Contains("nanoFramework.M2Mqtt", items);
        Assert.Contains("mscorlib", items);
    }

    [Fact]
    public void The_pattern_matcher_follows_msbuild_globs()
    {
        var patterns = new Patterns();
        patterns.Include("r/a/", "../b/**/*.cs;*.cs");
        patterns.Exclude("r/a/", "../b/obj/**");

        Assert.True(patterns.Matches("r/b/x.cs"));
        Assert.True(patterns.Matches("r/b/c/d/x.cs"));
        Assert.False(patterns.Matches("r/b/obj/x.cs"));
        Assert.True(patterns.Matches("r/a/x.cs"));
        Assert.False(patterns.Matches("r/a/c/x.cs"));
        Assert.False(patterns.Matches("r/b/x.csx"));
    }

    private static IEnumerable<string> DeviceSources() =>
        SourceFiles("firmware/HealthBlock.Wearable")
            .Where(f => f.StartsWith("firmware/HealthBlock.Wearable/", StringComparison.Ordinal))
            .Concat(SourceFiles("firmware/HealthBlock.Wearable.Core"))
            .Concat(SourceFiles("shared/HealthBlock.Protocol").Where(f => f.Contains("/Portable/", StringComparison.Ordinal)));

    private static IEnumerable<string> SourceFiles(string folder) =>
        Directory.EnumerateFiles(RepositoryFiles.PathOf(folder), "*.cs", SearchOption.AllDirectories)
            .Select(RepositoryFiles.Relative)
            .Where(f => !BuildOutput().IsMatch(f))
            .Order(StringComparer.Ordinal);

    private static List<string> SolutionProjects() =>
        [.. SolutionProject().Matches(File.ReadAllText(RepositoryFiles.PathOf("HealthBlock.sln"))).Select(m => m.Groups[1].Value.Replace('\\', '/'))];

    /// <summary>The Compile items of a project, as globs relative to the repository root.</summary>
    private static Patterns CompilePatterns(string project)
    {
        var folder = RepositoryFiles.Relative(Path.GetDirectoryName(RepositoryFiles.PathOf(project))!) + "/";
        var document = XDocument.Load(RepositoryFiles.PathOf(project));
        var patterns = new Patterns();
        var sdk = document.Root!.Attribute("Sdk") is not null;
        var defaults = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "EnableDefaultCompileItems")?.Value != "false";
        if (sdk && defaults)
        {
            patterns.Include(folder, "**/*.cs");
            patterns.Exclude(folder, "bin/**;obj/**");
        }

        foreach (var item in document.Descendants().Where(e => e.Name.LocalName == "Compile"))
        {
            patterns.Include(folder, Expand((string?)item.Attribute("Include") ?? string.Empty));
            patterns.Exclude(folder, Expand((string?)item.Attribute("Exclude") ?? string.Empty));
            patterns.Exclude(folder, Expand((string?)item.Attribute("Remove") ?? string.Empty));
        }

        return patterns;
    }

    // The one property the device project's Compile items use, defined in nfproj.props at the repository root.
    private static string Expand(string pattern) =>
        pattern.Replace("$(HealthBlockProtocolSources)", "/shared/HealthBlock.Protocol/", StringComparison.Ordinal).Replace('\\', '/');

    [GeneratedRegex(@"(^|/)(bin|obj|packages)/")]
    private static partial Regex BuildOutput();

    [GeneratedRegex(@"^Project\(""\{[^}]+\}""\) = ""[^""]+"", ""([^""]+\.csproj)""", RegexOptions.Multiline)]
    private static partial Regex SolutionProject();

    /// <summary>MSBuild item globs (<c>**</c> any folders, <c>*</c> within one name) with excludes.</summary>
    private sealed class Patterns
    {
        private readonly List<Regex> _includes = [];
        private readonly List<Regex> _excludes = [];

        public void Include(string folder, string patterns) => Add(_includes, folder, patterns);

        public void Exclude(string folder, string patterns) => Add(_excludes, folder, patterns);

        public bool Matches(string file) => _includes.Any(r => r.IsMatch(file)) && !_excludes.Any(r => r.IsMatch(file));

        private static void Add(List<Regex> list, string folder, string patterns)
        {
            foreach (var pattern in patterns.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var rooted = pattern.StartsWith('/') ? pattern : "/" + folder.TrimStart('/') + pattern;
                var normal = Normalize(rooted).TrimStart('/');
                var regex = "^" + Regex.Escape(normal).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal).Replace(@"\*\*", ".*", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "$";
                list.Add(new Regex(regex, RegexOptions.CultureInvariant));
            }
        }

        private static string Normalize(string path)
        {
            var parts = new List<string>();
            foreach (var part in path.Split('/'))
            {
                if (part == "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (part != "." && part.Length > 0)
                {
                    parts.Add(part);
                }
            }

            return "/" + string.Join('/', parts);
        }
    }
}
