namespace HealthBlock.Hosting;

/// <summary>Small files only their owner reads (pid files, endpoint URLs), replaced atomically.</summary>
public static class PrivateFile
{
    /// <summary>Writes <paramref name="text"/> to a new file readable by the owner only, then moves it over <paramref name="path"/>.</summary>
    public static void Write(string path, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
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

    /// <summary>The URL written in <paramref name="path"/>, or null when there is none.</summary>
    public static Uri? ReadUrl(string path)
    {
        try
        {
            return Uri.TryCreate(File.ReadAllText(path).Trim(), UriKind.Absolute, out var url) ? url : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
