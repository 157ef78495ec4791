using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using RfcnPerf.Core;
using RfcnPerf.Core.Imaging;

namespace RfcnPerf.Serving;

/// <summary>
/// Reads images out of TF Serving / KServe JSON bodies with <see cref="Utf8JsonReader"/>: a uint8 HxWx3
/// nested list is parsed number by number straight into a packed RGB buffer (no DOM, no boxing), a
/// <c>{"b64": "..."}</c> object is base64-decoded from the raw token and decoded as JPEG/PNG.
/// </summary>
internal static class ImageJson
{
    /// <summary>
    /// Reads the image value at the current token (<c>[[[r,g,b],...],...]</c>, <c>{"b64": ...}</c> or
    /// <c>{"&lt;input&gt;": value}</c>) and leaves the reader on its last token. <paramref name="where"/> names it in errors.
    /// </summary>
    public static DecodedImage ReadImage(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref int offset, long maxPixels, string inputName, string where)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray:
                return ReadNestedList(ref reader, body, ref offset, maxPixels, where);
            case JsonTokenType.StartObject:
                DecodedImage? image = null;
                while (Read(ref reader) != JsonTokenType.EndObject)
                {
                    var key = GetString(ref reader);
                    Read(ref reader);
                    if (image is not null)
                    {
                        image.Dispose();
                        throw ServingException.Invalid($"{where}: expected one key (\"b64\" or \"{inputName}\"), found also \"{key}\"");
                    }

                    if (key == "b64")
                    {
                        image = DecodeBase64(ref reader, maxPixels, where);
                    }
                    else if (key == inputName)
                    {
                        image = ReadImage(ref reader, body, ref offset, maxPixels, inputName, $"{where}.{key}");
                    }
                    else
                    {
                        throw ServingException.Invalid($"{where}: unknown input \"{key}\"; the signature's input is \"{inputName}\" (uint8 HxWx3 or {{\"b64\": ...}})");
                    }
                }

                return image ?? throw ServingException.Invalid($"{where}: empty object; expected {{\"b64\": ...}} or {{\"{inputName}\": ...}}");
            default:
                throw ServingException.Invalid($"{where}: expected a uint8 HxWx3 nested list or {{\"b64\": ...}}, found {Describe(reader.TokenType)}");
        }
    }

    /// <summary>Reads an array of image values (the <c>instances</c> list or a columnar batch).</summary>
    public static List<DecodedImage> ReadImageList(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref int offset, long maxPixels, int maxImages, string inputName, string where)
    {
        var images = new List<DecodedImage>();
        try
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                // Columnar forms: {"b64": ...} is one image; {"<input>": [images]} names the batch.
                if (Read(ref reader) != JsonTokenType.PropertyName || GetString(ref reader) != inputName)
                {
                    var key = reader.TokenType == JsonTokenType.PropertyName ? GetString(ref reader) : null;
                    if (key != "b64")
                    {
                        throw ServingException.Invalid($"{where}: expected {{\"{inputName}\": [images]}}, {{\"b64\": ...}} or a list of images, found key \"{key}\"");
                    }

                    Read(ref reader);
                    images.Add(DecodeBase64(ref reader, maxPixels, where));
                }
                else
                {
                    Read(ref reader);
                    images.AddRange(ReadImageList(ref reader, body, ref offset, maxPixels, maxImages, inputName, $"{where}.{inputName}"));
                }

                if (Read(ref reader) != JsonTokenType.EndObject)
                {
                    throw ServingException.Invalid($"{where}: the object has more than one key; the signature has one input, \"{inputName}\"");
                }

                return images;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw ServingException.Invalid($"{where}: expected a list of images, found {Describe(reader.TokenType)}");
            }

            while (Read(ref reader) != JsonTokenType.EndArray)
            {
                if (images.Count == maxImages)
                {
                    throw ServingException.Invalid($"{where}: more than {maxImages} images in one request (--max-queue)");
                }

                images.Add(ReadImage(ref reader, body, ref offset, maxPixels, inputName, $"{where}[{images.Count}]"));
            }

            return images.Count > 0 ? images : throw ServingException.Invalid($"{where}: the list is empty; expected at least one image");
        }
        catch
        {
            Dispose(images);
            throw;
        }
    }

    public static void Dispose(IEnumerable<DecodedImage> images)
    {
        foreach (var image in images)
        {
            image.Dispose();
        }
    }

    /// <summary>Base64 JPEG/PNG at the current string token.</summary>
    public static DecodedImage DecodeBase64(ref Utf8JsonReader reader, long maxPixels, string where)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw ServingException.Invalid($"{where}.b64: expected a base64 string, found {Describe(reader.TokenType)}");
        }

        byte[]? text = null;
        var utf8 = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            // Some encoders write "\/"; unescape once into a pooled copy.
            text = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
            try
            {
                utf8 = text.AsSpan(0, reader.CopyString(text));
            }
            catch (InvalidOperationException ex)
            {
                // An escaped lone surrogate ("\ud800") has no UTF-8 form: the reader accepts it, unescaping throws.
                ArrayPool<byte>.Shared.Return(text);
                throw ServingException.Invalid($"{where}.b64: {FirstLine(ex.Message)}");
            }
        }

        try
        {
            return DecodeBase64(utf8, maxPixels, $"{where}.b64");
        }
        finally
        {
            if (text is not null)
            {
                ArrayPool<byte>.Shared.Return(text);
            }
        }
    }

    /// <summary>Decodes base64 text (standard or web-safe alphabet, as TF Serving accepts) into an image.</summary>
    public static DecodedImage DecodeBase64(ReadOnlySpan<byte> utf8, long maxPixels, string where)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(utf8.Length) + 3);
        try
        {
            var status = Base64.DecodeFromUtf8(utf8, bytes, out _, out var written);
            if (status != OperationStatus.Done)
            {
                status = Base64Url.DecodeFromUtf8(utf8, bytes, out _, out written);
            }

            if (status != OperationStatus.Done)
            {
                throw ServingException.Invalid($"{where}: not valid base64 ({utf8.Length} characters)");
            }

            try
            {
                return ImageDecoder.Decode(bytes.AsSpan(0, written), where, maxPixels);
            }
            catch (RfcnPerfException ex)
            {
                throw ServingException.Invalid(ex.Message);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// Parses <c>[[[r,g,b],...],...]</c> (uint8) at the current StartArray into a packed RGB image.
    /// <paramref name="body"/> is the whole document and <paramref name="offset"/> where the reader's span starts
    /// in it: <see cref="NestedListScanner"/> parses the pixels straight from the body, then the reader resumes on
    /// the closing bracket with its saved state. Anything the scanner does not accept (a fraction, 256, a ragged
    /// row) is parsed again by the reader, which names the error.
    /// </summary>
    public static DecodedImage ReadNestedList(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref int offset, long maxPixels, string where)
    {
        if (NestedListScanner.TryScan(body, offset + (int)reader.TokenStartIndex, maxPixels, where, out var end) is { } fast)
        {
            var state = reader.CurrentState;
            offset = end;
            reader = new Utf8JsonReader(body[end..], isFinalBlock: true, state);
            Read(ref reader);
            return fast;
        }

        return ReadNestedListWithReader(ref reader, maxPixels, where);
    }

    /// <summary>
    /// The general path: the nested list token by token from <paramref name="reader"/> (on its StartArray); the
    /// reference the scanner must agree with, and the one that names what is wrong.
    /// </summary>
    internal static DecodedImage ReadNestedListWithReader(ref Utf8JsonReader reader, long maxPixels, string where)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        var length = 0;
        int height = 0, width = -1;
        try
        {
            while (Read(ref reader) != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw ServingException.Invalid($"{where}[{height}]: expected a row (list of [r,g,b]), found {Describe(reader.TokenType)}; the input is uint8 HxWx3");
                }

                var pixels = 0;
                while (Read(ref reader) != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw ServingException.Invalid($"{where}[{height}][{pixels}]: expected a pixel [r,g,b], found {Describe(reader.TokenType)}; the input is uint8 HxWx3");
                    }

                    if (buffer.Length - length < 3)
                    {
                        if ((long)(height + 1) * Math.Max(width, pixels + 1) > maxPixels)
                        {
                            throw ServingException.Invalid($"{where}: the image has more than the limit of {maxPixels} pixels (--max-pixels)");
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    buffer[length] = ReadChannel(ref reader, where, height, pixels, 0);
                    buffer[length + 1] = ReadChannel(ref reader, where, height, pixels, 1);
                    buffer[length + 2] = ReadChannel(ref reader, where, height, pixels, 2);
                    length += 3;
                    if (Read(ref reader) != JsonTokenType.EndArray)
                    {
                        throw ServingException.Invalid($"{where}[{height}][{pixels}]: a pixel has more than 3 channels; the input is uint8 HxWx3");
                    }

                    pixels++;
                }

                if (width < 0)
                {
                    width = pixels;
                }
                else if (pixels != width)
                {
                    throw ServingException.Invalid($"{where}[{height}]: row has {pixels} pixels but row 0 has {width}; the image must be HxWx3");
                }

                height++;
                if ((long)height * width > maxPixels)
                {
                    throw ServingException.Invalid($"{where}: the image has more than the limit of {maxPixels} pixels (--max-pixels)");
                }
            }

            if (height == 0 || width <= 0)
            {
                throw ServingException.Invalid($"{where}: empty image ({height}x{Math.Max(width, 0)}); expected uint8 HxWx3 with H, W >= 1");
            }

            return DecodedImage.FromRgb(buffer.AsSpan(0, length), width, height, where);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the next token; invalid JSON becomes a 400 naming the byte offset.</summary>
    public static JsonTokenType Read(ref Utf8JsonReader reader)
    {
        try
        {
            if (!reader.Read())
            {
                throw ServingException.Invalid("JSON Parse error: the document ends early");
            }
        }
        catch (JsonException ex)
        {
            throw ParseError(ex);
        }

        return reader.TokenType;
    }

    /// <summary>
    /// Skips the value at the current token (the value of a key the parser ignores). <see cref="Utf8JsonReader.Skip"/>
    /// reads ahead to the value's end, so broken JSON anywhere inside it throws there: a 400 like <see cref="Read"/>.
    /// </summary>
    public static void Skip(ref Utf8JsonReader reader)
    {
        try
        {
            reader.Skip();
        }
        catch (JsonException ex)
        {
            throw ParseError(ex);
        }
    }

    /// <summary>
    /// The current string or property name as text. The reader checks JSON syntax but not the UTF-8 inside strings;
    /// transcoding does, so invalid UTF-8 (or an escaped lone surrogate) is found here: a 400, not an
    /// <see cref="InvalidOperationException"/>.
    /// </summary>
    public static string GetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? throw ServingException.Invalid($"expected a string, found {Describe(reader.TokenType)}");
        }
        catch (InvalidOperationException ex)
        {
            throw ServingException.Invalid($"JSON Parse error: {FirstLine(ex.Message)} (the {(reader.TokenType == JsonTokenType.PropertyName ? "key" : "string")} at byte {reader.TokenStartIndex})");
        }
    }

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "a list",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static ServingException ParseError(JsonException ex) => ServingException.Invalid($"JSON Parse error: {FirstLine(ex.Message)}");

    private static string FirstLine(string message) => message.Split('\n', 2)[0];

    private static byte ReadChannel(ref Utf8JsonReader reader, string where, int row, int pixel, int channel)
    {
        if (Read(ref reader) != JsonTokenType.Number)
        {
            throw ServingException.Invalid($"{where}[{row}][{pixel}][{channel}]: expected a uint8 number, found {Describe(reader.TokenType)}");
        }

        // Digits only, at most 255: the dtype is uint8 (a fraction, sign or exponent is an error, as in TF Serving).
        var span = reader.ValueSpan;
        var value = 0;
        foreach (var c in span)
        {
            var d = c - '0';
            if ((uint)d > 9 || span.Length > 3)
            {
                throw BadChannel(span, where, row, pixel, channel);
            }

            value = (value * 10) + d;
        }

        return value <= 255 ? (byte)value : throw BadChannel(span, where, row, pixel, channel);
    }

    private static ServingException BadChannel(ReadOnlySpan<byte> span, string where, int row, int pixel, int channel) =>
        ServingException.Invalid($"{where}[{row}][{pixel}][{channel}]: {System.Text.Encoding.UTF8.GetString(span)} is not a uint8 (0..255 integer)");
}
