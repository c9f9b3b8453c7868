namespace HealthBlock.Wearable.Core.Tests;

/// <summary>Files of this repository, found from the test assembly's folder (which lies inside the repository).</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> RootFolder = new(FindRoot);

    /// <summary>The folder holding HealthBlock.sln.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>A path inside the repository, from '/'-separated parts.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>A repository path relative to the root, with '/' separators.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "HealthBlock.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the tests run outside the repository: no HealthBlock.sln above " + AppContext.BaseDirectory);
    }
}
