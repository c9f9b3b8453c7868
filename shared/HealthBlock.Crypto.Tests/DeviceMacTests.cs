namespace HealthBlock.Crypto.Tests;

public class DeviceMacTests
{
    [Fact]
    public void Full_and_truncated_tags_verify()
    {
        var key = DeviceMac.NewKey();
        var tag = DeviceMac.Compute(key, "frame"u8);
        Assert.True(DeviceMac.Verify(key, "frame"u8, tag));
        Assert.True(DeviceMac.Verify(key, "frame"u8, tag.AsSpan(0, 16)));
    }

    [Fact]
    public void Tags_shorter_than_128_bits_are_refused_even_when_correct()
    {
        var key = DeviceMac.NewKey();
        var tag = DeviceMac.Compute(key, "frame"u8);
        Assert.False(DeviceMac.Verify(key, "frame"u8, tag.AsSpan(0, 15)));
        Assert.False(DeviceMac.Verify(key, "frame"u8, []));
    }

    [Fact]
    public void Wrong_key_or_flipped_bit_fails()
    {
        var key = DeviceMac.NewKey();
        var tag = DeviceMac.Compute(key, "frame"u8);
        Assert.False(DeviceMac.Verify(DeviceMac.NewKey(), "frame"u8, tag));
        tag[5] ^= 0x10;
        Assert.False(DeviceMac.Verify(key, "frame"u8, tag));
    }

    [Fact]
    public void Device_keys_must_be_32_bytes()
    {
        Assert.Equal(CryptoError.InvalidKey, Assert.Throws<CryptoException>(() => DeviceMac.Compute(new byte[31], "x"u8)).Error);
    }
}
