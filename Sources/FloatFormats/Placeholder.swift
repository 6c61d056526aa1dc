// placeholder: FloatFormats is being written
