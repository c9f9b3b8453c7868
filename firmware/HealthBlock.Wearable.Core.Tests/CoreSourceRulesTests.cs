using System.Text.RegularExpressions;

namespace HealthBlock.Wearable.Core.Tests;

/// <summary>
/// The nanoFramework check project proves the core compiles against the device's mscorlib; these rules catch what
/// would still compile there but the firmware style excludes (see firmware/README.md, "The core's C# subset").
/// </summary>
public partial class CoreSourceRulesTests
{
    public static TheoryData<string> CoreFiles() => CopiedSources("core-sources");

    public static TheoryData<string> PortableFiles() => CopiedSources("portable-sources");

    [Theory]
    [MemberData(nameof(CoreFiles))]
    public void Core_file_stays_in_the_device_subset(string file) =>
        AssertDeviceSubset(file, BlockNamespace(), "// Firmware core: nanoFramework core library only");

    [Theory]
    [MemberData(nameof(PortableFiles))]
    public void Shared_portable_file_stays_in_the_device_subset(string file) =>
        AssertDeviceSubset(file, PortableNamespace(), "// Compiled into the firmware too: nanoFramework core library only");

    [Fact]
    public void The_core_sources_are_there()
    {
        Assert.True(CoreFiles().Count >= 20);
        Assert.True(PortableFiles().Count >= 8);
    }

    private static TheoryData<string> CopiedSources(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, folder), "*.cs", SearchOption.AllDirectories))
        {
            data.Add(Path.GetRelativePath(AppContext.BaseDirectory, file));
        }

        return data;
    }

    private static void AssertDeviceSubset(string file, Regex blockNamespace, string header)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, file));
        var code = Comment().Replace(text, string.Empty);

        Assert.DoesNotMatch(Interpolation(), code);
        Assert.DoesNotMatch(Forbidden(), code);
        Assert.Matches(blockNamespace, text);
        Assert.StartsWith(header, text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"//.*$", RegexOptions.Multiline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"\$@?""")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"\b(async|await|record|init;|yield|dynamic|stackalloc|unsafe|volatile|Linq|Generic|Span<|Math\.|StringBuilder|Task)\b")]
    private static partial Regex Forbidden();

    [GeneratedRegex(@"^namespace HealthBlock\.Wearable(\.\w+)?\r?\n\{", RegexOptions.Multiline)]
    private static partial Regex BlockNamespace();

    [GeneratedRegex(@"^namespace HealthBlock\.Protocol\.\w+\r?\n\{", RegexOptions.Multiline)]
    private static partial Regex PortableNamespace();
}
