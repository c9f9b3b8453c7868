using System.Globalization;

namespace HealthBlock.Gateway.Admin;

/// <summary>
/// A gateway's data folder: the database (<c>gateway.db</c>), the patient key, the lock (<c>gateway.lock</c>, held by
/// whoever works on the folder: the running gateway, or the CLI while the gateway is stopped), the pid of the lock's
/// holder (<c>gateway.pid</c>) and the admin endpoint's URL (<c>admin.url</c>, mode 0600, present while the gateway runs).
/// </summary>
public sealed class GatewayDataFolder
{
    /// <summary>The folder <paramref name="path"/>.</summary>
    public GatewayDataFolder(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The lock file.</summary>
    public string LockPath => System.IO.Path.Combine(Path, "gateway.lock");

    /// <summary>The pid of the lock's holder.</summary>
    public string PidPath => System.IO.Path.Combine(Path, "gateway.pid");

    /// <summary>The admin endpoint's URL while the gateway runs.</summary>
    public string AdminUrlPath => System.IO.Path.Combine(Path, "admin.url");

    /// <summary>Takes the folder's lock, or returns null when another process (or another opener in this one) holds it.</summary>
    public DataFolderLock? TryLock() => DataFolderLock.TryTake(this);

    /// <summary>Takes the folder's lock.</summary>
    /// <exception cref="DataFolderInUseException">Someone else holds it (the message names its pid).</exception>
    public DataFolderLock Lock() => TryLock() ?? throw new DataFolderInUseException(Path, HolderPid());

    /// <summary>The pid the lock's holder wrote, or null.</summary>
    public int? HolderPid()
    {
        try
        {
            return int.TryParse(File.ReadAllText(PidPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The admin endpoint's URL, or null when none is written.</summary>
    public Uri? ReadAdminUrl()
    {
        try
        {
            return Uri.TryCreate(File.ReadAllText(AdminUrlPath).Trim(), UriKind.Absolute, out var url) ? url : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes the admin URL (owner read/write only), replacing the file atomically.</summary>
    internal void WriteAdminUrl(Uri url) => WritePrivate(AdminUrlPath, url.ToString());

    /// <summary>Writes <paramref name="text"/> to a new file readable by the owner only, then moves it over <paramref name="path"/>.</summary>
    internal static void WritePrivate(string path, string text)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(text);
        }

        File.Move(temp, path, overwrite: true);
    }
}
