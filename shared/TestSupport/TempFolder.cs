// Shared by the test projects (linked into each, not a library).
namespace HealthBlock.TestSupport;

/// <summary>A fresh folder under the system temp folder, deleted (best effort) on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    /// <summary>Creates the folder, named <c>hb-test-</c> and a GUID.</summary>
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hb-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's path.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder.</summary>
    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Deletes the folder; a file still open somewhere is left to the OS's temp cleanup.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
