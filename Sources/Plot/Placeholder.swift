// placeholder: Plot is being written
