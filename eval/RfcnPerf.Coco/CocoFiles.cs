namespace RfcnPerf.Coco;

/// <summary>Opens input files, turning the usual IO failures into one clear <see cref="CocoException"/>.</summary>
internal static class CocoFiles
{
    public static FileStream OpenRead(string path)
    {
        try
        {
            // bufferSize 0: the JSON reader has its own (larger) buffer.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw new CocoException($"{path}: file not found");
        }
        catch (DirectoryNotFoundException)
        {
            throw new CocoException($"{path}: file not found (the folder does not exist)");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CocoException($"{path}: cannot be read ({ex.Message})", ex);
        }
        catch (IOException ex)
        {
            throw new CocoException($"{path}: cannot be read ({ex.Message})", ex);
        }
    }
}
