package sirene

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
)

// StockFile is an opened stock file: the CSV stream (decompressed when the file is a ZIP), and its size in
// bytes once decompressed, for progress and ETA.
type StockFile struct {
	io.Reader
	Size   int64
	closer func() error
}

// Close releases the file.
func (f *StockFile) Close() error { return f.closer() }

// OpenStockFile opens a stock file as INSEE publishes it: a plain .csv, or a .zip holding a single .csv
// (StockEtablissement_utf8.zip), recognised by its content rather than its name.
func OpenStockFile(name string) (*StockFile, error) {
	file, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	info, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, err
	}
	magic := make([]byte, 4)
	n, _ := io.ReadFull(file, magic)
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		file.Close()
		return nil, err
	}
	if !bytes.Equal(magic[:n], []byte("PK\x03\x04")) {
		return &StockFile{Reader: file, Size: info.Size(), closer: file.Close}, nil
	}
	csv, size, err := OpenZippedCSV(file, info.Size())
	if err != nil {
		file.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &StockFile{Reader: csv, Size: size, closer: func() error { csv.Close(); return file.Close() }}, nil
}

// OpenZippedCSV streams the only CSV entry of a ZIP archive and returns its uncompressed size.
func OpenZippedCSV(r io.ReaderAt, size int64) (io.ReadCloser, int64, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, 0, domain.Malformed("sirene: unreadable ZIP archive: " + err.Error())
	}
	var found *zip.File
	for _, f := range z.File {
		if f.FileInfo().IsDir() || !strings.EqualFold(path.Ext(f.Name), ".csv") {
			continue
		}
		if found != nil {
			return nil, 0, domain.Malformed(fmt.Sprintf("sirene: the ZIP archive holds several CSV files (%s, %s)",
				found.Name, f.Name))
		}
		found = f
	}
	if found == nil {
		return nil, 0, domain.Malformed("sirene: the ZIP archive holds no CSV file")
	}
	rc, err := found.Open()
	if err != nil {
		return nil, 0, domain.Malformed("sirene: " + found.Name + ": " + err.Error())
	}
	return rc, int64(found.UncompressedSize64), nil
}
