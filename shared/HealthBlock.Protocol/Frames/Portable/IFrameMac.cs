// Compiled into the firmware too: nanoFramework core library only.
namespace HealthBlock.Protocol.Frames
{
    /// <summary>Computes the HMAC-SHA256 of a frame under the device key (the device's crypto library or .NET's).</summary>
    public interface IFrameMac
    {
        /// <summary>
        /// Computes HMAC-SHA256 over <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>
        /// and writes its first <paramref name="tagLength"/> bytes to <paramref name="tag"/> at <paramref name="tagOffset"/>.
        /// </summary>
        void ComputeTag(byte[] data, int offset, int count, byte[] tag, int tagOffset, int tagLength);
    }
}
