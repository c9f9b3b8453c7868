namespace HealthBlock.Analysis;

/// <summary>
/// Thrown when a WFDB header, signal file or annotation file is malformed, truncated,
/// inconsistent or uses a feature this reader does not support.
/// </summary>
/// <remarks>
/// The readers never let low-level exceptions such as <see cref="IndexOutOfRangeException"/>
/// escape for bad input: every structural problem is reported through this type with a message
/// that names the file and the problem. I/O errors (missing file, permissions) are still
/// reported as the usual <see cref="IOException"/> family.
/// </remarks>
public sealed class WfdbFormatException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public WfdbFormatException()
        : base("Malformed WFDB data.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What is wrong, including the file where known.</param>
    public WfdbFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and inner exception.</summary>
    /// <param name="message">What is wrong, including the file where known.</param>
    /// <param name="innerException">The underlying cause.</param>
    public WfdbFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
