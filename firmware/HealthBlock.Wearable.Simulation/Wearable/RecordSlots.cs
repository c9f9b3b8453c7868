using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Simulation.Wearable;

/// <summary>Record slots as files <c>slot-N.bin</c> in a directory (what the device keeps on its I: drive).</summary>
public sealed class DirectoryRecordSlots : IRecordSlots
{
    private readonly string _directory;

    /// <summary>Uses <paramref name="directory"/>, creating it if needed.</summary>
    public DirectoryRecordSlots(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    /// <inheritdoc />
    public byte[]? Read(int slot)
    {
        var path = PathOf(slot);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    /// <inheritdoc />
    public void Write(int slot, byte[] data)
    {
        using var file = new FileStream(PathOf(slot), FileMode.Create, FileAccess.Write, FileShare.None);
        file.Write(data);
        file.Flush(flushToDisk: true);
    }

    private string PathOf(int slot) => Path.Combine(_directory, $"slot-{slot}.bin");
}
