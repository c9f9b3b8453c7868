using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HealthBlock.Architecture.Tests;

/// <summary>One top-level type declaration of a C# file: its project, namespace-qualified name, lines and visibility.</summary>
/// <param name="Project">The project folder (e.g. <c>nodes/HealthBlock.Doctor</c>).</param>
/// <param name="File">The file, relative to the repository root, with forward slashes.</param>
/// <param name="Name">Namespace and name (generic arity appended).</param>
/// <param name="Lines">Lines from the declaration's first attribute or keyword to its closing brace.</param>
/// <param name="IsPublic">True for a public type.</param>
internal sealed record SourceType(string Project, string File, string Name, int Lines, bool IsPublic);

/// <summary>Reads every C# file of the repository (outside build output) into its top-level type declarations, with Roslyn.</summary>
internal static class SourceTypes
{
    private static readonly string[] Roots = ["shared", "gateway", "nodes", "firmware", "hardware-tests", "bench"];

    public static IReadOnlyList<SourceType> Load(string repository)
    {
        var types = new List<SourceType>();
        foreach (var root in Roots.Select(r => Path.Combine(repository, r)).Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(repository, file).Replace('\\', '/');
                if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal))
                {
                    continue;
                }

                types.AddRange(Read(relative, File.ReadAllText(file)));
            }
        }

        return types;
    }

    public static IEnumerable<SourceType> Read(string relativePath, string text)
    {
        var tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: ["NANOFRAMEWORK_1_0"]));
        var project = string.Join('/', relativePath.Split('/').Take(2));
        foreach (var declaration in TopLevel(tree.GetRoot()))
        {
            var span = declaration.GetLocation().GetLineSpan();
            var lines = span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
            var name = Qualified(declaration);
            var isPublic = declaration.Modifiers.Any(m => m.IsKind(SyntaxKind.PublicKeyword));
            yield return new SourceType(project, relativePath, name, lines, isPublic);
        }
    }

    private static IEnumerable<BaseTypeDeclarationSyntax> TopLevel(SyntaxNode node)
    {
        foreach (var child in node.ChildNodes())
        {
            switch (child)
            {
                case BaseNamespaceDeclarationSyntax ns:
                    foreach (var t in TopLevel(ns))
                    {
                        yield return t;
                    }

                    break;
                case BaseTypeDeclarationSyntax type:
                    yield return type;
                    break;
            }
        }
    }

    private static string Qualified(BaseTypeDeclarationSyntax type)
    {
        var arity = type is TypeDeclarationSyntax { TypeParameterList: { } list } ? "`" + list.Parameters.Count : "";
        var names = type.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Name.ToString()).Reverse();
        var ns = string.Join('.', names);
        if (ns.Length == 0 && type.SyntaxTree.GetRoot() is CompilationUnitSyntax unit)
        {
            ns = unit.Members.OfType<FileScopedNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString() ?? "";
        }

        return (ns.Length == 0 ? "" : ns + ".") + type.Identifier.Text + arity;
    }
}
