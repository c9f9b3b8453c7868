// Shared by the test and bench projects (linked into each, not a library).
namespace HealthBlock.TestSupport;

/// <summary>
/// Files of the repository, found by walking up from the running binary to the folder that holds
/// <c>HealthBlock.sln</c>. Nothing above that folder is ever read.
/// </summary>
internal static class RepositoryFiles
{
    private const string SolutionFile = "HealthBlock.sln";

    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository's root folder.</summary>
    /// <exception cref="DirectoryNotFoundException">The binary does not run inside a checkout of the repository.</exception>
    public static string Root => RootLazy.Value;

    /// <summary>MIT-BIH record 100 without extension (<c>data/mitdb/100</c>: <c>.hea</c>, <c>.dat</c>, <c>.atr</c>).</summary>
    public static string MitBihRecord100 => Existing(Path.Combine(Root, "data", "mitdb", "100"), ".hea");

    /// <summary>A path inside the repository from its parts, e.g. <c>Path("data", "mitdb")</c>.</summary>
    public static string InRepository(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Existing(string path, string extension) => File.Exists(path + extension)
        ? path
        : throw new FileNotFoundException($"{path}{extension} is missing from the repository at {Root}", path + extension);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no folder holding {SolutionFile} above {AppContext.BaseDirectory}: run from a checkout of the repository");
    }
}
