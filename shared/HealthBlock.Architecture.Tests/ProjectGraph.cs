using System.Xml.Linq;

namespace HealthBlock.Architecture.Tests;

/// <summary>What a project is, judged from where it lives and what it is called.</summary>
internal enum ProjectKind
{
    /// <summary>Shipped code: libraries, services, the CLI, the firmware.</summary>
    Product,

    /// <summary>An xunit test project (name ends with <c>Tests</c>).</summary>
    Test,

    /// <summary>A project under <c>bench/</c>: a benchmark executable or a harness library.</summary>
    Bench,

    /// <summary>A project under <c>hardware-tests/</c> (needs real devices).</summary>
    HardwareTest,
}

/// <summary>One project file and the projects it references (paths relative to the repository root, with '/').</summary>
internal sealed record ProjectNode(string Path, ProjectKind Kind, bool IsExecutable, IReadOnlyList<string> References)
{
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);
}

/// <summary>Every <c>.csproj</c> and <c>.nfproj</c> under a root, and the rules the references between them must keep.</summary>
internal sealed class ProjectGraph
{
    private static readonly string[] Skipped = ["bin", "obj", ".git", "node_modules"];

    private ProjectGraph(string root, IReadOnlyList<ProjectNode> projects)
    {
        Root = root;
        Projects = projects;
    }

    public string Root { get; }

    public IReadOnlyList<ProjectNode> Projects { get; }

    /// <summary>Reads every project file under <paramref name="root"/> (skipping build output and .git).</summary>
    public static ProjectGraph Load(string root)
    {
        var projects = new List<ProjectNode>();
        foreach (var file in Files(new DirectoryInfo(root)))
        {
            var relative = Relative(root, file.FullName);
            var xml = XDocument.Load(file.FullName);
            var references = xml.Descendants()
                .Where(e => e.Name.LocalName == "ProjectReference" && e.Attribute("Include") is not null)
                .Select(e => Relative(root, System.IO.Path.GetFullPath(System.IO.Path.Combine(file.DirectoryName!, e.Attribute("Include")!.Value.Replace('\\', '/')))))
                .ToList();
            var exe = xml.Descendants().Any(e => e.Name.LocalName == "OutputType" && e.Value.Trim().Equals("Exe", StringComparison.OrdinalIgnoreCase));
            projects.Add(new ProjectNode(relative, KindOf(relative), exe, references));
        }

        return new ProjectGraph(root, projects);
    }

    /// <summary>
    /// Every reference that points the wrong way: a product project referencing a test, bench or hardware-test
    /// project, or a test project referencing a bench executable. Empty when the graph points one way.
    /// </summary>
    public IReadOnlyList<string> Violations()
    {
        var byPath = Projects.ToDictionary(p => p.Path, StringComparer.Ordinal);
        var violations = new List<string>();
        foreach (var project in Projects)
        {
            foreach (var path in project.References)
            {
                if (!byPath.TryGetValue(path, out var target))
                {
                    violations.Add($"{project.Path} references {path}, which does not exist");
                    continue;
                }

                if (project.Kind == ProjectKind.Product && target.Kind != ProjectKind.Product)
                {
                    violations.Add($"product project {project.Path} references {Describe(target.Kind)} project {target.Path}");
                }
                else if (project.Kind == ProjectKind.Test && target.Kind == ProjectKind.Bench && target.IsExecutable)
                {
                    violations.Add($"test project {project.Path} references the bench executable {target.Path}; move what it needs into a library both reference");
                }
            }
        }

        return violations;
    }

    private static ProjectKind KindOf(string relative)
    {
        var name = System.IO.Path.GetFileNameWithoutExtension(relative);
        return relative.StartsWith("hardware-tests/", StringComparison.Ordinal) ? ProjectKind.HardwareTest
            : relative.StartsWith("bench/", StringComparison.Ordinal) ? ProjectKind.Bench
            : name.EndsWith("Tests", StringComparison.Ordinal) ? ProjectKind.Test
            : ProjectKind.Product;
    }

    private static string Describe(ProjectKind kind) => kind switch
    {
        ProjectKind.Test => "test",
        ProjectKind.Bench => "bench",
        ProjectKind.HardwareTest => "hardware-test",
        _ => "product",
    };

    private static IEnumerable<FileInfo> Files(DirectoryInfo directory)
    {
        foreach (var file in directory.EnumerateFiles())
        {
            if (file.Extension is ".csproj" or ".nfproj")
            {
                yield return file;
            }
        }

        foreach (var sub in directory.EnumerateDirectories())
        {
            if (!Skipped.Contains(sub.Name, StringComparer.Ordinal))
            {
                foreach (var file in Files(sub))
                {
                    yield return file;
                }
            }
        }
    }

    private static string Relative(string root, string path) => System.IO.Path.GetRelativePath(root, path).Replace('\\', '/');
}
