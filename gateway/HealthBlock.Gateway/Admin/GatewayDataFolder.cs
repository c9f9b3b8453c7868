using HealthBlock.Hosting;

namespace HealthBlock.Gateway.Admin;

/// <summary>
/// A gateway's data folder: the database (<c>gateway.db</c>), the patient key, the lock (<c>gateway.lock</c>, held by
/// whoever works on the folder: the running gateway, or the CLI while the gateway is stopped; see
/// <see cref="DataFolderLock"/>), the pid of the lock's holder (<c>gateway.pid</c>) and the admin endpoint's URL
/// (<c>admin.url</c>, mode 0600, present while the gateway runs).
/// </summary>
public sealed class GatewayDataFolder
{
    /// <summary>The role name the lock and pid files carry.</summary>
    public const string Role = "gateway";

    /// <summary>The folder <paramref name="path"/>.</summary>
    public GatewayDataFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The lock file.</summary>
    public string LockPath => DataFolderLock.LockPath(Path, Role);

    /// <summary>The pid of the lock's holder.</summary>
    public string PidPath => DataFolderLock.PidPathOf(Path, Role);

    /// <summary>The admin endpoint's URL while the gateway runs.</summary>
    public string AdminUrlPath => System.IO.Path.Combine(Path, "admin.url");

    /// <summary>Takes the folder's lock, or returns null when another process (or another opener in this one) holds it.</summary>
    public DataFolderLock? TryLock() => DataFolderLock.TryTake(Path, Role);

    /// <summary>Takes the folder's lock.</summary>
    /// <exception cref="DataFolderInUseException">Someone else holds it (the message names its pid).</exception>
    public DataFolderLock Lock() => DataFolderLock.Take(Path, Role);

    /// <summary>The pid the lock's holder wrote, or null.</summary>
    public int? HolderPid() => DataFolderLock.HolderPid(Path, Role);

    /// <summary>The admin endpoint's URL, or null when none is written.</summary>
    public Uri? ReadAdminUrl() => PrivateFile.ReadUrl(AdminUrlPath);

    /// <summary>Writes the admin URL (owner read/write only), replacing the file atomically.</summary>
    internal void WriteAdminUrl(Uri url) => PrivateFile.Write(AdminUrlPath, url.ToString());
}
