using HealthBlock.Protocol.Content;
using HealthBlock.Storage.Embedded;

namespace HealthBlock.Storage.Tests.Infrastructure;

/// <summary>Corrupts blocks of an embedded store on disk, as an attacker or a failing disk would.</summary>
public static class Tamper
{
    /// <summary>Flips one bit of the stored block, or cuts it to half its length.</summary>
    public static void Corrupt(EmbeddedContentStore store, Cid cid, bool truncate = false)
    {
        var path = store.GetBlockPath(cid);
        var bytes = File.ReadAllBytes(path);
        if (truncate)
        {
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            return;
        }

        if (bytes.Length == 0)
        {
            bytes = [0x00];
        }
        else
        {
            bytes[bytes.Length / 2] ^= 0x80;
        }

        File.WriteAllBytes(path, bytes);
    }
}
