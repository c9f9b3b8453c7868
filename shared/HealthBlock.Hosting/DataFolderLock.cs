using System.Globalization;

namespace HealthBlock.Hosting;

/// <summary>
/// The exclusive lock on a role's data folder: <c>ROLE.lock</c> opened with <see cref="FileShare.None"/>, which .NET
/// implements on Linux and macOS as <c>flock(LOCK_EX | LOCK_NB)</c> on the open file (and on Windows as a sharing lock),
/// and <c>ROLE.pid</c> beside it naming the holder. The kernel drops the lock when the holder exits, however it exits
/// (SIGKILL and power cuts included), so a stale lock never blocks a restart. Two opens conflict even within one
/// process. (Setting <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns .NET's file locking off, and with it this lock.)
/// </summary>
public sealed class DataFolderLock : IDisposable
{
    private readonly FileStream _stream;

    private DataFolderLock(FileStream stream, string folder, string role, string pidPath)
    {
        _stream = stream;
        Folder = folder;
        Role = role;
        PidPath = pidPath;
    }

    /// <summary>The locked folder (full path).</summary>
    public string Folder { get; }

    /// <summary>The role that holds it (the file names' stem).</summary>
    public string Role { get; }

    /// <summary>The file naming the holder's pid.</summary>
    public string PidPath { get; }

    /// <summary>The lock file of <paramref name="role"/> in <paramref name="folder"/>.</summary>
    public static string LockPath(string folder, string role) => Path.Combine(Path.GetFullPath(folder), role + ".lock");

    /// <summary>The pid file of <paramref name="role"/> in <paramref name="folder"/>.</summary>
    public static string PidPathOf(string folder, string role) => Path.Combine(Path.GetFullPath(folder), role + ".pid");

    /// <summary>Takes the lock of <paramref name="folder"/> for <paramref name="role"/> (creating the folder), or returns null when it is held.</summary>
    public static DataFolderLock? TryTake(string folder, string role)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(role);
        var full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        FileStream stream;
        try
        {
            stream = new FileStream(LockPath(full, role), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }

        var pidPath = PidPathOf(full, role);
        PrivateFile.Write(pidPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new DataFolderLock(stream, full, role, pidPath);
    }

    /// <summary>Takes the lock of <paramref name="folder"/> for <paramref name="role"/>.</summary>
    /// <exception cref="DataFolderInUseException">Another process (or another opener in this one) holds it; the message names its pid.</exception>
    public static DataFolderLock Take(string folder, string role) =>
        TryTake(folder, role) ?? throw new DataFolderInUseException(Path.GetFullPath(folder), role, HolderPid(folder, role));

    /// <summary>The pid the lock's holder wrote, or null.</summary>
    public static int? HolderPid(string folder, string role)
    {
        try
        {
            return int.TryParse(File.ReadAllText(PidPathOf(folder, role)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            File.Delete(PidPath);
        }
        catch (IOException)
        {
        }

        _stream.Dispose();
    }
}
