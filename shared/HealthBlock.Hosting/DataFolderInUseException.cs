namespace HealthBlock.Hosting;

/// <summary>A data folder's lock is held: the role already runs on it, or a command works on it.</summary>
public sealed class DataFolderInUseException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="role"/>'s <paramref name="folder"/>, held by <paramref name="pid"/> when known.</summary>
    public DataFolderInUseException(string folder, string role, int? pid)
        : base($"the {role} data folder {folder} is in use: {role} already running{(pid is { } p ? $" as pid {p}" : "")} (or a command works on it)")
    {
        Pid = pid;
    }

    /// <summary>Creates the exception.</summary>
    public DataFolderInUseException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public DataFolderInUseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DataFolderInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The holder's pid, when it wrote one.</summary>
    public int? Pid { get; }
}
